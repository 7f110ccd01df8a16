-- smartgrid health for prometheus-node-exporter-lua: reads the services' ubus `status` and
-- exports it with Prometheus names. A service that does not answer is smartgrid_service_up 0; its
-- state (running, config-error, ...) is smartgrid_service_state{state}.
local ubus = require "ubus"

local SERVICES = { "telemetry", "lte", "thread", "halow", "sep2" }

local function number(value)
  if type(value) == "number" then return value end
  if type(value) == "boolean" then return value and 1 or 0 end
  return nil
end

local function bool(value) return value and 1 or 0 end

-- A field that should be an object, or an empty one (a service in another state leaves it out).
local function obj(value) if type(value) == "table" then return value end return {} end

local function gauge(name, value, labels)
  local v = number(value)
  if v ~= nil then metric(name, "gauge", labels, v) end
end

local function telemetry(status)
  local queue = obj(status.queue)
  local depth = obj(queue.depth)
  local readings = metric("smartgrid_telemetry_queue_readings", "gauge")
  for _, class in ipairs({ "alarm", "event", "telemetry" }) do
    if number(depth[class]) then readings({ class = class }, depth[class]) end
  end
  gauge("smartgrid_telemetry_queue_oldest_age_seconds", queue.oldest_age_s or 0)
  gauge("smartgrid_telemetry_queue_disk_bytes", queue.disk_bytes)
  local counters = obj(status.metrics)
  local total = metric("smartgrid_telemetry_readings_total", "counter")
  if number(counters.readings_in) then total({ direction = "in" }, counters.readings_in) end
  if number(counters.readings_out) then total({ direction = "out" }, counters.readings_out) end
  local rejects = metric("smartgrid_telemetry_rejects_total", "counter")
  for reason, count in pairs(obj(status.rejects)) do rejects({ reason = reason }, count) end
  gauge("smartgrid_telemetry_upstream_connected", bool(status.connection == "connected"))
  gauge("smartgrid_telemetry_local_broker_connected", bool(status.local_broker == "connected"))
end

local function lte(status)
  local modem = obj(status.modem)
  local signal = obj(modem.signal)
  gauge("smartgrid_lte_signal_rsrp_dbm", signal.lte_rsrp)
  gauge("smartgrid_lte_signal_rsrq_db", signal.lte_rsrq)
  gauge("smartgrid_lte_signal_snr_db", signal.lte_snr)
  gauge("smartgrid_lte_signal_quality_percent", modem.signal_quality)
  gauge("smartgrid_lte_modem_connected", bool(modem.state == "connected"))
  gauge("smartgrid_lte_health_up", bool(obj(status.health).status == "up"))
  local usage = obj(status.usage)
  gauge("smartgrid_lte_data_used_bytes", usage.used_bytes)
  gauge("smartgrid_lte_data_quota_bytes", usage.quota_bytes)
  local failover = obj(status.failover)
  if failover.active_uplink then
    gauge("smartgrid_lte_failover_active", bool(failover.active_uplink ~= "wan"))
    metric("smartgrid_lte_active_uplink", "gauge", { uplink = failover.active_uplink }, 1)
  end
end

local function thread(status)
  local network = obj(status.thread)
  if network.role then metric("smartgrid_thread_role", "gauge", { role = network.role }, 1) end
  local rcp = obj(status.rcp)
  if rcp.health ~= nil then gauge("smartgrid_thread_rcp_healthy", bool(rcp.health == "ok" or rcp.health == "healthy")) end
  gauge("smartgrid_thread_routers", network.router_count)
  gauge("smartgrid_thread_children", network.child_count)
end

local function halow(status, dcus)
  local presence = obj(status.presence)
  gauge("smartgrid_halow_dcus_present", presence.present)
  gauge("smartgrid_halow_dcus_missing", presence.missing)
  if dcus and dcus.dcus then
    local present = metric("smartgrid_halow_dcu_present", "gauge")
    local rssi = metric("smartgrid_halow_dcu_signal_dbm", "gauge")
    for _, dcu in ipairs(dcus.dcus) do
      present({ dcu = dcu.name }, bool(dcu.state == "present"))
      if number(dcu.signal) then rssi({ dcu = dcu.name }, dcu.signal) end
    end
  end
end

local function sep2(status)
  gauge("smartgrid_sep2_listening", bool(status.listening == true))
  gauge("smartgrid_sep2_clients_seen", status.clients_seen)
  gauge("smartgrid_sep2_clients_registered", status.clients_registered)
  gauge("smartgrid_sep2_local_broker_connected", bool(status.local_broker == "connected"))
  gauge("smartgrid_sep2_time_quality", status.time_quality)
  if number(status.requests) then metric("smartgrid_sep2_requests_total", "counter")({}, status.requests) end
  if number(status.errors) then metric("smartgrid_sep2_errors_total", "counter")({}, status.errors) end
  if number(status.tls_failures) then metric("smartgrid_sep2_tls_failures_total", "counter")({}, status.tls_failures) end
end

local EXPORTERS = { telemetry = telemetry, lte = lte, thread = thread, halow = halow, sep2 = sep2 }

local function scrape()
  local conn = ubus.connect()
  if not conn then error("smartgrid collector: no ubus connection") end
  local up = metric("smartgrid_service_up", "gauge")
  local state = metric("smartgrid_service_state", "gauge")
  local answered = {}
  for _, name in ipairs(SERVICES) do
    local status = conn:call("smartgrid." .. name, "status", {})
    up({ service = name }, bool(status ~= nil))
    if status ~= nil then
      answered[name] = status
      state({ service = name, state = tostring(status.state) }, 1)
    end
  end
  for _, name in ipairs(SERVICES) do
    local status = answered[name]
    if status ~= nil then
      if name == "halow" then EXPORTERS.halow(status, conn:call("smartgrid.halow", "dcus", {}))
      else EXPORTERS[name](status) end
    end
  end
  conn:close()
end

return { scrape = scrape }
