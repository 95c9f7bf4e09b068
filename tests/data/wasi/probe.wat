;; A WASI command for the tests: argv[1] picks what it does.
;;   hello       write "hello, world\n" to stdout
;;   args        print argv, then the environment, one entry per line
;;   cat PATH    copy PATH, opened in the first preopened directory (fd 3), to stdout
;;   exit N      proc_exit(N), N in decimal
;;   trap        write "hello, world\n", then trap (unreachable)
;; Any WASI error ends the program with proc_exit(errno), so tests read errnos from the
;; exit code (badf = 8, noent = 44, pipe = 64, perm = 63, notcapable = 76). A missing or
;; unknown command exits 2; argv or environ larger than the buffers below exits 7.
;;
;; Memory: 0 iovec, 8 count written/read, 16 and 20 sizes, 24 opened fd, 32 "\n",
;; 40 greeting, 64 argv pointers (up to 256), 2048 environ pointers (up to 256),
;; 4096 argv text (16 KiB), 24576 environ text (8 KiB), 32768 read buffer (32 KiB).
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 32) "\n")
  (data (i32.const 40) "hello, world\n")

  ;; Exits with the errno if a WASI call failed.
  (func $check (param $errno i32)
    (if (local.get $errno) (then (call $proc_exit (local.get $errno)))))

  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (call $check (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func $strlen (param $p i32) (result i32) (local $n i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $n))

  ;; Prints the $n NUL-terminated strings whose pointers start at $ptrs, one per line.
  (func $put_all (param $ptrs i32) (param $n i32) (local $i i32) (local $s i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $s (i32.load (i32.add (local.get $ptrs) (i32.shl (local.get $i) (i32.const 2)))))
      (call $write (i32.const 1) (local.get $s) (call $strlen (local.get $s)))
      (call $write (i32.const 1) (i32.const 32) (i32.const 1))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next))))

  (func $atoi (param $p i32) (result i32) (local $n i32) (local $c i32)
    (block $done (loop $next
      (local.set $c (i32.load8_u (local.get $p)))
      (br_if $done (i32.eqz (local.get $c)))
      (local.set $n (i32.add (i32.mul (local.get $n) (i32.const 10))
                             (i32.sub (local.get $c) (i32.const 48))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $next)))
    (local.get $n))

  (func $cat (param $path i32) (local $fd i32) (local $n i32)
    ;; rights: fd_read (1 << 1)
    (call $check (call $path_open (i32.const 3) (i32.const 0)
      (local.get $path) (call $strlen (local.get $path))
      (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 24)))
    (local.set $fd (i32.load (i32.const 24)))
    (block $eof (loop $next
      (i32.store (i32.const 0) (i32.const 32768))
      (i32.store (i32.const 4) (i32.const 32768))
      (call $check (call $fd_read (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)))
      (local.set $n (i32.load (i32.const 8)))
      (br_if $eof (i32.eqz (local.get $n)))
      (call $write (i32.const 1) (i32.const 32768) (local.get $n))
      (br $next)))
    (call $check (call $fd_close (local.get $fd))))

  (func (export "_start") (local $argc i32) (local $cmd i32)
    (call $check (call $args_sizes_get (i32.const 16) (i32.const 20)))
    (local.set $argc (i32.load (i32.const 16)))
    (if (i32.or (i32.gt_u (local.get $argc) (i32.const 256))
                (i32.gt_u (i32.load (i32.const 20)) (i32.const 16384)))
      (then (call $proc_exit (i32.const 7))))
    (call $check (call $args_get (i32.const 64) (i32.const 4096)))
    (if (i32.lt_u (local.get $argc) (i32.const 2)) (then (call $proc_exit (i32.const 2))))
    (local.set $cmd (i32.load8_u (i32.load (i32.const 68))))
    (if (i32.eq (local.get $cmd) (i32.const 104)) ;; h
      (then (call $write (i32.const 1) (i32.const 40) (i32.const 13)) (return)))
    (if (i32.eq (local.get $cmd) (i32.const 97)) ;; a
      (then
        (call $put_all (i32.const 64) (local.get $argc))
        (call $check (call $environ_sizes_get (i32.const 16) (i32.const 20)))
        (if (i32.or (i32.gt_u (i32.load (i32.const 16)) (i32.const 256))
                    (i32.gt_u (i32.load (i32.const 20)) (i32.const 8192)))
          (then (call $proc_exit (i32.const 7))))
        (call $check (call $environ_get (i32.const 2048) (i32.const 24576)))
        (call $put_all (i32.const 2048) (i32.load (i32.const 16)))
        (return)))
    (if (i32.lt_u (local.get $argc) (i32.const 3)) (then
      (if (i32.eq (local.get $cmd) (i32.const 116)) ;; t
        (then (call $write (i32.const 1) (i32.const 40) (i32.const 13)) unreachable))
      (call $proc_exit (i32.const 2))))
    (if (i32.eq (local.get $cmd) (i32.const 99)) ;; c
      (then (call $cat (i32.load (i32.const 72))) (return)))
    (if (i32.eq (local.get $cmd) (i32.const 101)) ;; e
      (then (call $proc_exit (call $atoi (i32.load (i32.const 72))))))
    (call $proc_exit (i32.const 2))))
