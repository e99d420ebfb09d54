;; The passes over the data of the BN kernels (batchnorm.ts), as 128-bit SIMD on tfjs-backend-wasm's
;; own memory, so tensors are read and written where they lie. Assembled by wabt at build time
;; (scripts/vite-wat.ts), once as written and once with the memory import marked shared for the
;; threaded build.
;;
;; Layout: channels last, x as [rows, C] float32 rows `stride` bytes apart. Each function takes
;; 4 adjacent channels (one f32x4) over all rows, or 8 (the functions ending in 8, further down);
;; pointers are byte offsets into the memory.
;; The numbers are those of src/lib/bn/fused.ts's tfjs ops on the cpu backend, bit for bit:
;; f32x4 add/sub/mul round each lane as a float32 op does, and the sums add float32 values
;; promoted to float64 in row order, as cpu's Sum does (its accumulator is a JavaScript number).
;; The high half of a vector is promoted after an i8x16.shuffle moves lanes 2, 3 to lanes 0, 1.
(module
  (import "env" "memory" (memory 1))

  ;; Σx of 4 channels: 4 float64 at $out.
  (func (export "sums") (param $x i32) (param $rows i32) (param $stride i32) (param $out i32)
    (local $lo v128) (local $hi v128) (local $v v128)
    (block $done
      (br_if $done (i32.eqz (local.get $rows)))
      (loop $row
        (local.set $v (v128.load (local.get $x)))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.promote_low_f32x4 (local.get $v))))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))
        (local.set $x (i32.add (local.get $x) (local.get $stride)))
        (br_if $row (local.tee $rows (i32.sub (local.get $rows) (i32.const 1))))))
    (v128.store offset=0 (local.get $out) (local.get $lo))
    (v128.store offset=16 (local.get $out) (local.get $hi)))

  ;; Σ f(f(x − μ)²) of 4 channels: 4 float64 at $out; μ: 4 float32 at $mean.
  (func (export "squares") (param $x i32) (param $rows i32) (param $stride i32) (param $mean i32) (param $out i32)
    (local $u v128) (local $lo v128) (local $hi v128) (local $v v128)
    (local.set $u (v128.load (local.get $mean)))
    (block $done
      (br_if $done (i32.eqz (local.get $rows)))
      (loop $row
        (local.set $v (f32x4.sub (v128.load (local.get $x)) (local.get $u)))
        (local.set $v (f32x4.mul (local.get $v) (local.get $v)))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.promote_low_f32x4 (local.get $v))))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))
        (local.set $x (i32.add (local.get $x) (local.get $stride)))
        (br_if $row (local.tee $rows (i32.sub (local.get $rows) (i32.const 1))))))
    (v128.store offset=0 (local.get $out) (local.get $lo))
    (v128.store offset=16 (local.get $out) (local.get $hi)))

  ;; y = f(f(f(x − μ)·s) + β) for 4 channels; $params: μ, s, β as 4 float32 each.
  (func (export "normalize") (param $y i32) (param $x i32) (param $rows i32) (param $stride i32) (param $params i32)
    (local $u v128) (local $s v128) (local $b v128)
    (local.set $u (v128.load offset=0 (local.get $params)))
    (local.set $s (v128.load offset=16 (local.get $params)))
    (local.set $b (v128.load offset=32 (local.get $params)))
    (block $done
      (br_if $done (i32.eqz (local.get $rows)))
      (loop $row
        (v128.store (local.get $y)
          (f32x4.add (f32x4.mul (f32x4.sub (v128.load (local.get $x)) (local.get $u)) (local.get $s)) (local.get $b)))
        (local.set $y (i32.add (local.get $y) (local.get $stride)))
        (local.set $x (i32.add (local.get $x) (local.get $stride)))
        (br_if $row (local.tee $rows (i32.sub (local.get $rows) (i32.const 1)))))))

  ;; Σdy, then Σ f(dy·f(x − μ)), of 4 channels: 4 float64 each at $out; μ: 4 float32 at $mean.
  (func (export "gradientSums") (param $dy i32) (param $x i32) (param $rows i32) (param $stride i32) (param $mean i32) (param $out i32)
    (local $u v128) (local $g v128) (local $c v128)
    (local $s0 v128) (local $s1 v128) (local $q0 v128) (local $q1 v128)
    (local.set $u (v128.load (local.get $mean)))
    (block $done
      (br_if $done (i32.eqz (local.get $rows)))
      (loop $row
        (local.set $g (v128.load (local.get $dy)))
        (local.set $c (f32x4.mul (local.get $g) (f32x4.sub (v128.load (local.get $x)) (local.get $u))))
        (local.set $s0 (f64x2.add (local.get $s0) (f64x2.promote_low_f32x4 (local.get $g))))
        (local.set $s1 (f64x2.add (local.get $s1) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $g) (local.get $g)))))
        (local.set $q0 (f64x2.add (local.get $q0) (f64x2.promote_low_f32x4 (local.get $c))))
        (local.set $q1 (f64x2.add (local.get $q1) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $c) (local.get $c)))))
        (local.set $dy (i32.add (local.get $dy) (local.get $stride)))
        (local.set $x (i32.add (local.get $x) (local.get $stride)))
        (br_if $row (local.tee $rows (i32.sub (local.get $rows) (i32.const 1))))))
    (v128.store offset=0 (local.get $out) (local.get $s0))
    (v128.store offset=16 (local.get $out) (local.get $s1))
    (v128.store offset=32 (local.get $out) (local.get $q0))
    (v128.store offset=48 (local.get $out) (local.get $q1)))

  ;; dx = f(f(f(dy·a) − f(f(x − μ)·k)) − b) for 4 channels; $params: μ, a, k, b as 4 float32 each.
  (func (export "inputGradient") (param $dx i32) (param $dy i32) (param $x i32) (param $rows i32) (param $stride i32) (param $params i32)
    (local $u v128) (local $a v128) (local $k v128) (local $b v128)
    (local.set $u (v128.load offset=0 (local.get $params)))
    (local.set $a (v128.load offset=16 (local.get $params)))
    (local.set $k (v128.load offset=32 (local.get $params)))
    (local.set $b (v128.load offset=48 (local.get $params)))
    (block $done
      (br_if $done (i32.eqz (local.get $rows)))
      (loop $row
        (v128.store (local.get $dx)
          (f32x4.sub
            (f32x4.sub
              (f32x4.mul (v128.load (local.get $dy)) (local.get $a))
              (f32x4.mul (f32x4.sub (v128.load (local.get $x)) (local.get $u)) (local.get $k)))
            (local.get $b)))
        (local.set $dx (i32.add (local.get $dx) (local.get $stride)))
        (local.set $dy (i32.add (local.get $dy) (local.get $stride)))
        (local.set $x (i32.add (local.get $x) (local.get $stride)))
        (br_if $row (local.tee $rows (i32.sub (local.get $rows) (i32.const 1)))))))

  ;; The same five passes over 8 adjacent channels (two f32x4 per row) where C has them: one
  ;; sweep over the rows where the 4-channel functions take two, and twice the independent sums
  ;; per row (the float64 additions wait on each other only within a channel). The second vector
  ;; is at offset=16 from the first; per-channel parameters are 8 float32 each.

  ;; Σx of 8 channels: 8 float64 at $out.
  (func (export "sums8") (param $x i32) (param $rows i32) (param $stride i32) (param $out i32)
    (local $lo0 v128) (local $hi0 v128) (local $lo1 v128) (local $hi1 v128) (local $v0 v128) (local $v1 v128)
    (block $done
      (br_if $done (i32.eqz (local.get $rows)))
      (loop $row
        (local.set $v0 (v128.load offset=0 (local.get $x)))
        (local.set $v1 (v128.load offset=16 (local.get $x)))
        (local.set $lo0 (f64x2.add (local.get $lo0) (f64x2.promote_low_f32x4 (local.get $v0))))
        (local.set $hi0 (f64x2.add (local.get $hi0) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v0) (local.get $v0)))))
        (local.set $lo1 (f64x2.add (local.get $lo1) (f64x2.promote_low_f32x4 (local.get $v1))))
        (local.set $hi1 (f64x2.add (local.get $hi1) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v1) (local.get $v1)))))
        (local.set $x (i32.add (local.get $x) (local.get $stride)))
        (br_if $row (local.tee $rows (i32.sub (local.get $rows) (i32.const 1))))))
    (v128.store offset=0 (local.get $out) (local.get $lo0))
    (v128.store offset=16 (local.get $out) (local.get $hi0))
    (v128.store offset=32 (local.get $out) (local.get $lo1))
    (v128.store offset=48 (local.get $out) (local.get $hi1)))

  ;; Σ f(f(x − μ)²) of 8 channels: 8 float64 at $out; μ: 8 float32 at $mean.
  (func (export "squares8") (param $x i32) (param $rows i32) (param $stride i32) (param $mean i32) (param $out i32)
    (local $u0 v128) (local $u1 v128) (local $lo0 v128) (local $hi0 v128) (local $lo1 v128) (local $hi1 v128) (local $v0 v128) (local $v1 v128)
    (local.set $u0 (v128.load offset=0 (local.get $mean)))
    (local.set $u1 (v128.load offset=16 (local.get $mean)))
    (block $done
      (br_if $done (i32.eqz (local.get $rows)))
      (loop $row
        (local.set $v0 (f32x4.sub (v128.load offset=0 (local.get $x)) (local.get $u0)))
        (local.set $v1 (f32x4.sub (v128.load offset=16 (local.get $x)) (local.get $u1)))
        (local.set $v0 (f32x4.mul (local.get $v0) (local.get $v0)))
        (local.set $v1 (f32x4.mul (local.get $v1) (local.get $v1)))
        (local.set $lo0 (f64x2.add (local.get $lo0) (f64x2.promote_low_f32x4 (local.get $v0))))
        (local.set $hi0 (f64x2.add (local.get $hi0) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v0) (local.get $v0)))))
        (local.set $lo1 (f64x2.add (local.get $lo1) (f64x2.promote_low_f32x4 (local.get $v1))))
        (local.set $hi1 (f64x2.add (local.get $hi1) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v1) (local.get $v1)))))
        (local.set $x (i32.add (local.get $x) (local.get $stride)))
        (br_if $row (local.tee $rows (i32.sub (local.get $rows) (i32.const 1))))))
    (v128.store offset=0 (local.get $out) (local.get $lo0))
    (v128.store offset=16 (local.get $out) (local.get $hi0))
    (v128.store offset=32 (local.get $out) (local.get $lo1))
    (v128.store offset=48 (local.get $out) (local.get $hi1)))

  ;; y = f(f(f(x − μ)·s) + β) for 8 channels; $params: μ, s, β as 8 float32 each.
  (func (export "normalize8") (param $y i32) (param $x i32) (param $rows i32) (param $stride i32) (param $params i32)
    (local $u0 v128) (local $u1 v128) (local $s0 v128) (local $s1 v128) (local $b0 v128) (local $b1 v128)
    (local.set $u0 (v128.load offset=0 (local.get $params)))
    (local.set $u1 (v128.load offset=16 (local.get $params)))
    (local.set $s0 (v128.load offset=32 (local.get $params)))
    (local.set $s1 (v128.load offset=48 (local.get $params)))
    (local.set $b0 (v128.load offset=64 (local.get $params)))
    (local.set $b1 (v128.load offset=80 (local.get $params)))
    (block $done
      (br_if $done (i32.eqz (local.get $rows)))
      (loop $row
        (v128.store offset=0 (local.get $y)
          (f32x4.add (f32x4.mul (f32x4.sub (v128.load offset=0 (local.get $x)) (local.get $u0)) (local.get $s0)) (local.get $b0)))
        (v128.store offset=16 (local.get $y)
          (f32x4.add (f32x4.mul (f32x4.sub (v128.load offset=16 (local.get $x)) (local.get $u1)) (local.get $s1)) (local.get $b1)))
        (local.set $y (i32.add (local.get $y) (local.get $stride)))
        (local.set $x (i32.add (local.get $x) (local.get $stride)))
        (br_if $row (local.tee $rows (i32.sub (local.get $rows) (i32.const 1)))))))

  ;; Σdy, then Σ f(dy·f(x − μ)), of 8 channels: 8 float64 each at $out; μ: 8 float32 at $mean.
  (func (export "gradientSums8") (param $dy i32) (param $x i32) (param $rows i32) (param $stride i32) (param $mean i32) (param $out i32)
    (local $u0 v128) (local $u1 v128) (local $g0 v128) (local $g1 v128) (local $c0 v128) (local $c1 v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $q0 v128) (local $q1 v128) (local $q2 v128) (local $q3 v128)
    (local.set $u0 (v128.load offset=0 (local.get $mean)))
    (local.set $u1 (v128.load offset=16 (local.get $mean)))
    (block $done
      (br_if $done (i32.eqz (local.get $rows)))
      (loop $row
        (local.set $g0 (v128.load offset=0 (local.get $dy)))
        (local.set $g1 (v128.load offset=16 (local.get $dy)))
        (local.set $c0 (f32x4.mul (local.get $g0) (f32x4.sub (v128.load offset=0 (local.get $x)) (local.get $u0))))
        (local.set $c1 (f32x4.mul (local.get $g1) (f32x4.sub (v128.load offset=16 (local.get $x)) (local.get $u1))))
        (local.set $s0 (f64x2.add (local.get $s0) (f64x2.promote_low_f32x4 (local.get $g0))))
        (local.set $s1 (f64x2.add (local.get $s1) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $g0) (local.get $g0)))))
        (local.set $s2 (f64x2.add (local.get $s2) (f64x2.promote_low_f32x4 (local.get $g1))))
        (local.set $s3 (f64x2.add (local.get $s3) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $g1) (local.get $g1)))))
        (local.set $q0 (f64x2.add (local.get $q0) (f64x2.promote_low_f32x4 (local.get $c0))))
        (local.set $q1 (f64x2.add (local.get $q1) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $c0) (local.get $c0)))))
        (local.set $q2 (f64x2.add (local.get $q2) (f64x2.promote_low_f32x4 (local.get $c1))))
        (local.set $q3 (f64x2.add (local.get $q3) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $c1) (local.get $c1)))))
        (local.set $dy (i32.add (local.get $dy) (local.get $stride)))
        (local.set $x (i32.add (local.get $x) (local.get $stride)))
        (br_if $row (local.tee $rows (i32.sub (local.get $rows) (i32.const 1))))))
    (v128.store offset=0 (local.get $out) (local.get $s0))
    (v128.store offset=16 (local.get $out) (local.get $s1))
    (v128.store offset=32 (local.get $out) (local.get $s2))
    (v128.store offset=48 (local.get $out) (local.get $s3))
    (v128.store offset=64 (local.get $out) (local.get $q0))
    (v128.store offset=80 (local.get $out) (local.get $q1))
    (v128.store offset=96 (local.get $out) (local.get $q2))
    (v128.store offset=112 (local.get $out) (local.get $q3)))

  ;; dx = f(f(f(dy·a) − f(f(x − μ)·k)) − b) for 8 channels; $params: μ, a, k, b as 8 float32 each.
  (func (export "inputGradient8") (param $dx i32) (param $dy i32) (param $x i32) (param $rows i32) (param $stride i32) (param $params i32)
    (local $u0 v128) (local $u1 v128) (local $a0 v128) (local $a1 v128) (local $k0 v128) (local $k1 v128) (local $b0 v128) (local $b1 v128)
    (local.set $u0 (v128.load offset=0 (local.get $params)))
    (local.set $u1 (v128.load offset=16 (local.get $params)))
    (local.set $a0 (v128.load offset=32 (local.get $params)))
    (local.set $a1 (v128.load offset=48 (local.get $params)))
    (local.set $k0 (v128.load offset=64 (local.get $params)))
    (local.set $k1 (v128.load offset=80 (local.get $params)))
    (local.set $b0 (v128.load offset=96 (local.get $params)))
    (local.set $b1 (v128.load offset=112 (local.get $params)))
    (block $done
      (br_if $done (i32.eqz (local.get $rows)))
      (loop $row
        (v128.store offset=0 (local.get $dx)
          (f32x4.sub
            (f32x4.sub
              (f32x4.mul (v128.load offset=0 (local.get $dy)) (local.get $a0))
              (f32x4.mul (f32x4.sub (v128.load offset=0 (local.get $x)) (local.get $u0)) (local.get $k0)))
            (local.get $b0)))
        (v128.store offset=16 (local.get $dx)
          (f32x4.sub
            (f32x4.sub
              (f32x4.mul (v128.load offset=16 (local.get $dy)) (local.get $a1))
              (f32x4.mul (f32x4.sub (v128.load offset=16 (local.get $x)) (local.get $u1)) (local.get $k1)))
            (local.get $b1)))
        (local.set $dx (i32.add (local.get $dx) (local.get $stride)))
        (local.set $dy (i32.add (local.get $dy) (local.get $stride)))
        (local.set $x (i32.add (local.get $x) (local.get $stride)))
        (br_if $row (local.tee $rows (i32.sub (local.get $rows) (i32.const 1)))))))
)
