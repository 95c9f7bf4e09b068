# A small Tcl benchmark: recursion, lists, arrays, strings and floating point (molt
# implements a subset of Tcl: no lsort or format).
# Usage: molt-run bench.tcl N   (N scales the work; the output depends only on N)
set n [lindex $argv 0]
if {$n eq ""} { set n 10 }

proc fib {k} {
    if {$k < 2} { return $k }
    return [expr {[fib [expr {$k - 1}]] + [fib [expr {$k - 2}]]}]
}
set k [expr {10 + $n / 4}]
puts "fib $k = [fib $k]"

# Sieve of Eratosthenes in an array.
set limit [expr {500 * $n}]
set count 0
for {set i 2} {$i <= $limit} {incr i} {
    if {![info exists composite($i)]} {
        incr count
        for {set j [expr {$i * $i}]} {$j <= $limit} {incr j $i} { set composite($j) 1 }
    }
}
puts "primes below $limit: $count"

# Pseudo-random numbers from a linear congruential generator: min, max, checksum.
set seed 42
set xs {}
for {set i 0} {$i < 200 * $n} {incr i} {
    set seed [expr {($seed * 1103515245 + 12345) % 2147483648}]
    lappend xs $seed
}
set lo [lindex $xs 0]
set hi $lo
set sum 0
foreach x $xs {
    if {$x < $lo} { set lo $x }
    if {$x > $hi} { set hi $x }
    set sum [expr {($sum * 31 + $x) % 1000000007}]
}
puts "random [llength $xs]: min $lo, max $hi, checksum $sum"

# Strings: build, count words with an array, join.
set words {}
for {set i 0} {$i < 100 * $n} {incr i} { lappend words "w[expr {$i % 23}]" }
foreach w $words {
    if {[info exists freq($w)]} { incr freq($w) } else { set freq($w) 1 }
}
set counts {}
for {set i 0} {$i < 23} {incr i} { lappend counts $freq(w$i) }
puts "words [array size freq]: [join $counts { }]"
set text [join $words ","]
puts "text length [string length $text], [string compare $text w0,w1]"

# Floating point: a partial sum of the Leibniz series for pi.
set pi 0.0
for {set k 0} {$k < 2000 * $n} {incr k} {
    set term [expr {1.0 / (2 * $k + 1)}]
    if {$k % 2 == 0} { set pi [expr {$pi + $term}] } else { set pi [expr {$pi - $term}] }
}
puts "pi [expr {4 * $pi}]"
