-- Stand-in for OpenWrt's libubus-lua (`require "ubus"`), enough for collectors: connect() and
-- conn:call(object, method, args) returning the reply as a table, nil when the call fails
-- (as libubus-lua does), and conn:close(). Calls go through the ubus CLI stand-in, whose command
-- line is in SMARTGRID_UBUS_CLI and whose socket is SMARTGRID_UBUS_SOCKET; replies decoded by cjson.
local cjson = require "cjson"

local M = {}
local Connection = {}
Connection.__index = Connection

-- blobmsg has no null: libubus-lua never hands a collector one (the key is simply absent).
local function without_nulls(value)
  if value == cjson.null then return nil end
  if type(value) ~= "table" then return value end
  local out = {}
  for key, item in pairs(value) do out[key] = without_nulls(item) end
  return out
end

local function quote(text) return "'" .. string.gsub(text, "'", "'\\''") .. "'" end

function M.connect(socket)
  local cli = os.getenv("SMARTGRID_UBUS_CLI")
  if not cli then return nil, "SMARTGRID_UBUS_CLI is not set" end
  return setmetatable({ cli = cli, socket = socket or os.getenv("SMARTGRID_UBUS_SOCKET") }, Connection)
end

function Connection:call(object, method, args)
  local command = self.cli .. " -s " .. quote(self.socket) .. " call " .. quote(object) .. " " .. quote(method) ..
    " " .. quote(cjson.encode(args or {})) .. " 2>/dev/null"
  local pipe = io.popen(command, "r")
  local text = pipe:read("*a")
  local ok = pipe:close()
  if not ok or text == "" then return nil end
  local decoded, value = pcall(cjson.decode, text)
  if not decoded then return nil end
  return without_nulls(value)
end

function Connection:close() end

return M
