-- One request against one token bucket, atomically: the Redis side of dev.gatemesh.proxy.ratelimit.TokenBucket.
-- KEYS[1]  the bucket: a hash with c (credits) and t (last update, microseconds)
-- ARGV[1]  capacity in credits (burst * credits per token)
-- ARGV[2]  credits added per elapsed microsecond (requests per unit)
-- ARGV[3]  credits per token (the unit in microseconds)
-- ARGV[4]  time to live of the bucket, milliseconds
-- ARGV[5]  optional: the current time in microseconds; the server's TIME when absent
-- Returns {allowed (0|1), whole tokens left, microseconds until one token when refused}.
-- Every value stays below 2^53 (the rule validator's caps), so Lua's doubles hold them exactly; they are stored
-- as plain integers (%.0f), never in exponent notation.
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local per_token = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local now = ARGV[5] and tonumber(ARGV[5])
if not now then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000000 + tonumber(time[2])
end

local state = redis.call('HMGET', KEYS[1], 'c', 't')
local credits = tonumber(state[1])
local updated = tonumber(state[2])
if credits == nil or updated == nil then
  credits = capacity
  updated = now
elseif now > updated then
  local missing = capacity - credits
  local elapsed = now - updated
  if missing <= 0 or elapsed > math.floor(missing / rate) then
    credits = capacity
  else
    credits = credits + elapsed * rate
  end
  updated = now
end
if credits > capacity then
  credits = capacity
end

local allowed = 0
local wait = 0
if credits >= per_token then
  credits = credits - per_token
  allowed = 1
else
  wait = math.ceil((per_token - credits) / rate)
end
redis.call('HSET', KEYS[1], 'c', string.format('%.0f', credits), 't', string.format('%.0f', updated))
redis.call('PEXPIRE', KEYS[1], ttl)
return {allowed, math.floor(credits / per_token), wait}
