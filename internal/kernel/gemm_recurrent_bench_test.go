package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkRecurrentStep times the per-step products of a recurrent layer
// (tensor.Recurrent) on issue 11's shapes, N rows of state against the
// G×H recurrent weight: forward h·W_hhᵀ with W_hh as stored ("NT") and
// with a transposed copy whose row stride avoids multiples of 1 KiB
// ("NN-pad"), and backward dq·W_hh with W_hh as stored and padded.
func BenchmarkRecurrentStep(b *testing.B) {
	for _, s := range []struct{ n, g, h int }{{32, 600, 150}, {32, 450, 150}, {64, 2048, 512}, {64, 1536, 512}} {
		rng := rand.New(rand.NewPCG(1, 2))
		h := ewRandSlice[float32](rng, s.n*s.h)
		q := ewRandSlice[float32](rng, s.n*s.g)
		w := ewRandSlice[float32](rng, s.g*s.h)
		c := make([]float32, s.n*s.g)
		dh := make([]float32, s.n*s.h)
		ldT := s.g
		if ldT*4%1024 == 0 {
			ldT += 16
		}
		wT := make([]float32, s.h*ldT)
		ldP := s.h
		if ldP*4%1024 == 0 {
			ldP += 16
		}
		wP := make([]float32, s.g*ldP)
		name := fmt.Sprintf("N%d_G%d_H%d", s.n, s.g, s.h)
		b.Run("fwd_NT_"+name, func(b *testing.B) {
			for b.Loop() {
				Sgemm(false, true, s.n, s.g, s.h, 1, h, s.h, w, s.h, 0, c, s.g)
			}
		})
		b.Run("fwd_NNpad_"+name, func(b *testing.B) {
			for b.Loop() {
				Sgemm(false, false, s.n, s.g, s.h, 1, h, s.h, wT, ldT, 0, c, s.g)
			}
		})
		b.Run("bwd_NN_"+name, func(b *testing.B) {
			for b.Loop() {
				Sgemm(false, false, s.n, s.h, s.g, 1, q, s.g, w, s.h, 0, dh, s.h)
			}
		})
		b.Run("bwd_NNpad_"+name, func(b *testing.B) {
			for b.Loop() {
				Sgemm(false, false, s.n, s.h, s.g, 1, q, s.g, wP, ldP, 0, dh, s.h)
			}
		})
	}
}
