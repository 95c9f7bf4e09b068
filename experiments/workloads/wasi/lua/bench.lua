-- A small Lua benchmark: recursion, tables, strings, closures and floating point.
-- Usage: lua bench.lua N   (N scales the work; the output depends only on N)
local n = tonumber(arg[1]) or 10

local function fib(k) if k < 2 then return k end return fib(k - 1) + fib(k - 2) end
local k = 15 + n // 8
print("fib", k, fib(k))

-- Sieve of Eratosthenes.
local limit = 2000 * n
local composite, count = {}, 0
for i = 2, limit do
  if not composite[i] then
    count = count + 1
    for j = i * i, limit, i do composite[j] = true end
  end
end
print("primes below", limit, count)

-- Sort pseudo-random numbers from a linear congruential generator.
local seed, xs = 42, {}
for i = 1, 1000 * n do
  seed = (seed * 1103515245 + 12345) % 2147483648
  xs[i] = seed
end
table.sort(xs)
local sum = 0
for i = 1, #xs, 97 do sum = (sum + xs[i]) % 1000000007 end
print("sorted", #xs, xs[1], xs[#xs], sum)

-- Strings: build, search, substitute, count words.
local parts = {}
for i = 1, 200 * n do parts[#parts + 1] = string.format("w%d", i % 37) end
local text = table.concat(parts, " ")
local words = {}
for w in text:gmatch("%a%d+") do words[w] = (words[w] or 0) + 1 end
local keys = {}
for k in pairs(words) do keys[#keys + 1] = k end
table.sort(keys)
print("words", #keys, keys[1], words[keys[1]], #text:gsub("w1", "W"))

-- Closures and upvalues.
local function counter()
  local c = 0
  return function(d) c = c + d; return c end
end
local acc = counter()
for i = 1, 10000 * n do acc(i % 7) end
print("closure", acc(0))

-- Floating point: a partial sum of the Leibniz series for pi.
local pi = 0
for k = 0, 20000 * n do pi = pi + (k % 2 == 0 and 1 or -1) / (2 * k + 1) end
print("pi", string.format("%.10f", 4 * pi))
