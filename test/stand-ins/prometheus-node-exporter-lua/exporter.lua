-- Stand-in for prometheus-node-exporter-lua's collector API, for running one collector under Debian's
-- lua5.1: the globals metric(name, type, labels, value) (writes "# TYPE", returns an outputter
-- taking (labels, value)) and get_contents(file), then the collector's scrape(). Output goes to stdout
-- in the text exposition format. Usage: lua5.1 exporter.lua <collector module name>
function get_contents(filename)
  local f = io.open(filename, "rb")
  if not f then return "" end
  local contents = f:read("*a")
  f:close()
  return contents
end

local function label_text(labels)
  if not labels then return "" end
  local keys = {}
  for key in pairs(labels) do keys[#keys + 1] = key end
  table.sort(keys)
  local parts = {}
  for _, key in ipairs(keys) do
    local value = string.gsub(string.gsub(tostring(labels[key]), "\\", "\\\\"), '"', '\\"')
    parts[#parts + 1] = key .. '="' .. value .. '"'
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

function metric(name, mtype, labels, value)
  print("# TYPE " .. name .. " " .. mtype)
  local outputter = function(series_labels, series_value)
    print(name .. label_text(series_labels) .. " " .. tostring(series_value))
  end
  if value ~= nil then outputter(labels, value) end
  return outputter
end

local collector = require("prometheus-collectors." .. arg[1])
local ok, err = pcall(collector.scrape)
print("# TYPE node_scrape_collector_success gauge")
print('node_scrape_collector_success{collector="' .. arg[1] .. '"} ' .. (ok and 1 or 0))
if not ok then io.stderr:write(tostring(err) .. "\n") os.exit(1) end
