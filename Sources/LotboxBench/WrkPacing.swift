/// A fixed offered rate for a wrk run (one thread): a Lua `delay()` appended to a request script.
///
/// A flat `delay = connections / rate` per connection adds each reply's latency to the gap, so
/// the rate offered falls as the server slows, which is the moment it matters. Here every
/// request takes the next slot of one schedule, 1/rate apart, whichever connection sends it,
/// and waits for that slot (read from CLOCK_MONOTONIC through LuaJIT's ffi): a connection that
/// is free early waits, one that is late sends at once. wrk waits whole milliseconds (it drops
/// the fraction), so a request may go up to 1 ms before its slot; the mean rate holds. Slots more
/// than 100 ms behind are given up rather than sent in a burst: the box did not keep up, and
/// the achieved rate (wrk's Requests/sec) says so.
enum WrkPacing {
    static func script(rate: Int) -> String {
        """

        local ffi = require("ffi")
        ffi.cdef[[
        typedef struct { long tv_sec; long tv_nsec; } lotbox_timespec;
        int clock_gettime(int clock, lotbox_timespec *now);
        ]]
        local clock_now = ffi.new("lotbox_timespec")
        local function now_ms()
          ffi.C.clock_gettime(1, clock_now)
          return tonumber(clock_now.tv_sec) * 1000 + tonumber(clock_now.tv_nsec) / 1000000
        end
        local interval_ms = 1000 / \(rate)
        local slot = nil
        delay = function()
          local now = now_ms()
          if slot == nil or slot < now - 100 then slot = now end
          local wait = slot - now
          slot = slot + interval_ms
          if wait < 0 then return 0 end
          return wait
        end
        """
    }
}
