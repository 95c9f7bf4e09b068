;; The module of tests/op_families.rs. Its binary, tests/data/op_families.wasm, is what the
;; test loads (Miri would spend minutes parsing this text); after editing this file run
;; `WEFT_BLESS=1 cargo test --test op_families` to rewrite it.
(module
  (import "host" "mul" (func $host_mul (param i64 i64) (result i64)))
  (type $i2i (func (param i32) (result i32)))
  (memory 1 4)
  (table $t 4 8 funcref)
  (global $g (mut i64) (i64.const 5))
  (global $sp (mut i32) (i32.const 64))
  (data $d "\01\02\03\04\05\06\07\08")
  ;; Bytes 3, 10, 17, ... (7i + 3) for `shift_pairs`; nothing else writes here.
  (data (i32.const 1024) "\03\0a\11\18\1f\26\2d\34\3b\42\49\50\57\5e\65\6c\73\7a\81\88\8f\96\9d\a4\ab\b2\b9\c0\c7\ce\d5\dc\e3\ea\f1\f8\ff\06\0d\14\1b\22\29\30\37\3e\45\4c")
  ;; Nodes [next, info] at 1536 and 1544, info records [u16, u8] at 1600, for `list_pairs`.
  (data (i32.const 1536) "\08\06\00\00\40\06\00\00\00\00\00\00\44\06\00\00")
  (data (i32.const 1600) "\03\00\01\00\05\00\02\00")
  ;; Text for `scan`, zero-terminated.
  (data (i32.const 1700) "abb,a\00")
  (elem (table $t) (i32.const 0) func $double $square)
  (elem $passive func $double)

  (func $double (param i32) (result i32) (i32.shl (local.get 0) (i32.const 1)))
  (func $square (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func $f64_to_i64 (param f64) (result i64) (i64.trunc_f64_s (local.get 0)))

  ;; Recursion with calls, compares and selects.
  (func $fac (export "fac") (param i64) (result i64)
    (if (result i64) (i64.le_u (local.get 0) (i64.const 1))
      (then (i64.const 1))
      (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))

  ;; A counted loop with locals, tees and a fused compare+branch.
  (func (export "sum_to") (param i32) (result i32) (local i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get 0)))
        (local.set 1 (i32.add (local.get 1) (local.get 0)))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br $l)))
    (local.get 1))

  ;; Integer ops of both widths, including the ones that can trap.
  (func (export "int_mix") (param i32 i32) (result i64)
    (i64.add
      (i64.extend_i32_u
        (i32.xor
          (i32.rotl (i32.div_u (local.get 0) (local.get 1)) (i32.const 3))
          (i32.popcnt (i32.rem_s (local.get 0) (local.get 1)))))
      (i64.or
        (i64.shr_s (i64.extend_i32_s (local.get 0)) (i64.const 1))
        (i64.ctz (i64.extend_i32_u (local.get 1))))))
  (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))

  ;; Floats: arithmetic, min/max, sqrt, copysign, conversions both ways.
  (func (export "float_mix") (param f32 f64) (result f64)
    (f64.add
      (f64.promote_f32 (f32.mul (local.get 0) (f32.sqrt (f32.const 16))))
      (f64.copysign
        (f64.max (local.get 1) (f64.convert_i32_s (i32.const -3)))
        (f64.const -1))))
  (func (export "trunc") (param f64) (result i64) (call $f64_to_i64 (local.get 0)))
  (func (export "trunc_sat") (param f64) (result i32) (i32.trunc_sat_f64_s (local.get 0)))

  ;; Every store width, then every load width and signedness, summed.
  (func (export "mem_widths") (param i32) (result i64)
    (i64.store (local.get 0) (i64.const -2))
    (i32.store offset=8 (local.get 0) (i32.const 0x01020304))
    (i32.store16 offset=12 (local.get 0) (i32.const 0xfffe))
    (i32.store8 offset=14 (local.get 0) (i32.const 0x80))
    (i64.store32 offset=16 (local.get 0) (i64.const 7))
    (f32.store offset=20 (local.get 0) (f32.const 1.5))
    (f64.store offset=24 (local.get 0) (f64.const 2.5))
    (i64.add
      (i64.add
        (i64.add (i64.load (local.get 0)) (i64.load32_u offset=8 (local.get 0)))
        (i64.add (i64.load16_s offset=12 (local.get 0)) (i64.load8_u offset=14 (local.get 0))))
      (i64.add
        (i64.add (i64.load32_s offset=16 (local.get 0))
                 (i64.trunc_f32_s (f32.load offset=20 (local.get 0))))
        (i64.add (i64.trunc_f64_s (f64.load offset=24 (local.get 0)))
                 (i64.extend_i32_s (i32.load8_s offset=14 (local.get 0)))))))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))

  ;; Bulk memory and growth.
  (func (export "bulk") (result i32)
    (memory.init $d (i32.const 100) (i32.const 0) (i32.const 8))
    (data.drop $d)
    (memory.copy (i32.const 104) (i32.const 100) (i32.const 4))
    (memory.fill (i32.const 108) (i32.const 9) (i32.const 2))
    (i32.add
      (i32.add (i32.load (i32.const 104)) (i32.load16_u (i32.const 108)))
      (i32.add (memory.grow (i32.const 1)) (memory.size))))

  ;; Tables: indirect calls, get/set/grow/size, passive element segments.
  (func (export "indirect") (param i32 i32) (result i32)
    (call_indirect $t (type $i2i) (local.get 1) (local.get 0)))
  (func (export "tables") (result i32)
    (table.set $t (i32.const 2) (table.get $t (i32.const 1)))
    (table.init $t $passive (i32.const 3) (i32.const 0) (i32.const 1))
    (elem.drop $passive)
    (i32.add
      (i32.add
        (call_indirect $t (type $i2i) (i32.const 5) (i32.const 2))
        (call_indirect $t (type $i2i) (i32.const 5) (i32.const 3)))
      (i32.add
        (table.grow $t (ref.func $double) (i32.const 2))
        (table.size $t))))

  ;; Globals, a host call, multi-value, br_table, select and a tail call.
  (func $pair (param i64) (result i64 i64) (local.get 0) (i64.add (local.get 0) (i64.const 1)))
  (func (export "misc") (param i32) (result i64)
    (global.set $g (i64.add (global.get $g) (i64.const 1)))
    (call $host_mul (call $pair (global.get $g)))
    (block $b2 (result i64)
      (block $b1 (result i64)
        (block $b0 (result i64)
          (i64.const 100)
          (br_table $b2 $b1 $b0 (local.get 0)))
        (return (i64.add (i64.const 1))))
      (return (i64.add (i64.const 2))))
    (i64.add)
    (select (i64.const 1000) (i64.const 0) (i32.eqz (local.get 0)))
    (i64.add))
  (func $count_down (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 42))
      (else (return_call $count_down (i32.sub (local.get 0) (i32.const 1))))))
  (func (export "tail") (param i32) (result i32) (return_call $count_down (local.get 0)))

  ;; A compiled function's stack frame: `sp -= 16` kept in a local (get, sub and set fuse
  ;; into one op), a store through it, and `sp = fp + 16` (an add stored in a global).
  (func (export "frame") (param i32) (result i32)
    (local $fp i32)
    (global.set $sp (local.tee $fp (i32.sub (global.get $sp) (i32.const 16))))
    (i32.store (local.get $fp) (local.get 0))
    (global.set $sp (i32.add (local.get $fp) (i32.const 16)))
    (i32.add (i32.load (local.get $fp)) (i32.mul (global.get $sp) (i32.const 100))))

  ;; The pairs merged once the code is final (`fuse_pairs`): a += 3 and b += 5 (two adds
  ;; in place), (a << 2) + b (a scaled index), * b + a (a multiply-accumulate).
  (func (export "pairs") (param i32) (param i32) (result i32)
    (local.set 0 (i32.add (local.get 0) (i32.const 3)))
    (local.set 1 (i32.add (local.get 1) (i32.const 5)))
    (i32.add (i32.mul (i32.add (i32.shl (local.get 0) (i32.const 2)) (local.get 1))
                      (local.get 1))
             (local.get 0)))

  ;; The shift-then-xor pairs merged once the code is final (`fuse_pairs`): SHA-256's
  ;; message schedule x = [2048] + (σ0(a) + a + b) + σ1(b) (`rotl_si; xor_ss`, `shr_u_si;
  ;; xor_ss`, `rotl_si; xor_ass`, `shr_u_si; xor_aas`), a byte at 1024 + (x & 15) + b +
  ;; (a << 2) (`shl_si; add_aas`), then Σ0(a) + x + that byte (`rotl_si; xor_aas`).
  (func (export "shift_pairs") (param $a i32) (param $b i32) (result i32) (local $x i32)
    (local.set $x
      (i32.add (i32.load (i32.const 2048))
        (i32.add (i32.add (i32.add
          (i32.xor (i32.xor (i32.rotl (local.get $a) (i32.const 25)) (i32.rotl (local.get $a) (i32.const 14)))
                   (i32.shr_u (local.get $a) (i32.const 3)))
          (local.get $a)) (local.get $b))
          (i32.xor (i32.xor (i32.rotl (local.get $b) (i32.const 15)) (i32.rotl (local.get $b) (i32.const 13)))
                   (i32.shr_u (local.get $b) (i32.const 10))))))
    (local.set $b (i32.load8_u offset=1024
      (i32.add (i32.add (i32.and (local.get $x) (i32.const 15)) (local.get $b)) (i32.shl (local.get $a) (i32.const 2)))))
    (i32.add (i32.xor (i32.xor (i32.rotl (local.get $a) (i32.const 30)) (i32.rotl (local.get $a) (i32.const 19)))
                      (i32.rotl (local.get $a) (i32.const 10)))
             (i32.add (local.get $x) (local.get $b))))

  ;; More pairs merged once final: a list reversed in place (`copy; i32.load_store_s`),
  ;; then walked summing two fields of each node's record (a load through a loaded
  ;; pointer, u16 and u8) while two slots step (`i32.add_si; i32.add_ss`).
  (func (export "list_pairs") (param $list i32) (param $stride i32) (result i32)
    (local $next i32) (local $tmp i32) (local $s i32) (local $q i32)
    (block $done
      (br_if $done (i32.eqz (local.get $list)))
      (loop $l
        (local.set $tmp (local.get $list))
        (local.set $list (i32.load (local.get $tmp)))
        (i32.store (local.get $tmp) (local.get $next))
        (local.set $next (local.get $tmp))
        (br_if $l (local.get $list))))
    (loop $w
      (local.set $s (i32.mul (local.get $s) (i32.const 10)))
      (local.set $s (i32.add (local.get $s) (i32.load16_u (i32.load offset=4 (local.get $next)))))
      (local.set $s (i32.add (local.get $s) (i32.load8_u offset=2 (i32.load offset=4 (local.get $next)))))
      (local.set $list (i32.add (local.get $list) (i32.const 1)))
      (local.set $q (i32.add (local.get $q) (local.get $stride)))
      (br_if $w (local.tee $next (i32.load (local.get $next)))))
    (i32.add (i32.mul (local.get $s) (i32.const 1000)) (i32.add (local.get $q) (local.get $list))))

  ;; List searches that are their loops' whole bodies, one op iterating in its handler
  ;; (`i32.find_load16_u_and_s`, `i32.find_load8_u_and_s`): the node whose record's u16
  ;; (u8 at 2) is the masked key, 0 at the list's end. The u16 search's node * 65536 + the
  ;; u8 search's.
  (func $find16 (param $p i32) (param $key i32) (result i32)
    (block $out
      (loop $l
        (br_if $out (i32.eq (i32.load16_u (i32.load offset=4 (local.get $p)))
                            (i32.and (local.get $key) (i32.const 0xffff))))
        (br_if $l (local.tee $p (i32.load (local.get $p))))))
    (local.get $p))
  (func $find8 (param $p i32) (param $key i32) (result i32)
    (block $out
      (loop $l
        (br_if $out (i32.eq (i32.load8_u offset=2 (i32.load offset=4 (local.get $p)))
                            (i32.and (local.get $key) (i32.const 0xff))))
        (br_if $l (local.tee $p (i32.load (local.get $p))))))
    (local.get $p))
  (func (export "list_find") (param $p i32) (param $key i32) (result i32)
    (i32.add (i32.mul (call $find16 (local.get $p) (local.get $key)) (i32.const 65536))
             (call $find8 (local.get $p) (local.get $key))))

  ;; Two CRC bit steps (`i32.crc_step_s`), the second shifting the value the first wrote
  ;; to its masked slot.
  (func (export "crc_steps") (param $crc i32) (param $data i32) (result i32) (local $t i32)
    (local.set $t (i32.and (i32.shr_u (local.get $crc) (i32.const 1)) (i32.const 0x7fff)))
    (local.set $crc (select (i32.xor (local.get $t) (i32.const 0xa001)) (local.get $t)
      (i32.and (i32.xor (i32.shr_u (local.get $data) (i32.const 3)) (local.get $crc)) (i32.const 1))))
    (local.set $t (i32.and (i32.shr_u (local.get $crc) (i32.const 1)) (i32.const 0x7fff)))
    (select (i32.xor (local.get $t) (i32.const 0xa001)) (local.get $t)
      (i32.and (i32.xor (i32.shr_u (local.get $t) (i32.const 2)) (local.get $crc)) (i32.const 1))))

  ;; A separator test before a state machine's table dispatch (`br_i32_eq_si_br_table_s`):
  ;; states 0 and 1 (the default) add 1 and 10, a comma adds 100 and resets the state.
  (func (export "scan") (param $p i32) (result i32) (local $c i32) (local $state i32) (local $n i32)
    (block $done
      (loop $l
        (local.set $c (i32.load8_u (local.get $p)))
        (br_if $done (i32.eqz (local.get $c)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (block $next
          (block $sep
            (block $s1
              (block $s0
                (br_if $sep (i32.eq (local.get $c) (i32.const 44)))
                (br_table $s0 $s1 (local.get $state)))
              (local.set $n (i32.add (local.get $n) (i32.const 1)))
              (local.set $state (i32.const 1))
              (br $next))
            (local.set $n (i32.add (local.get $n) (i32.const 10)))
            (local.set $state (i32.const 5))
            (br $next))
          (local.set $n (i32.add (local.get $n) (i32.const 100)))
          (local.set $state (i32.const 0)))
        (br $l)))
    (local.get $n))

  (func $forever (export "recurse") (param i32) (result i32)
    (i32.add (call $forever (local.get 0)) (i32.const 1)))
  (func (export "unreachable") (unreachable))
)
