package tensor_test

import (
	"slices"
	"testing"

	. "github.com/duboko/duboko/tensor"
)

// TestRecurrentArgumentChecks: Recurrent's shape checks one at a time, each
// a *ShapeError naming the cell and what is wrong, beside the valid call
// they are variations of (T=3, N=2, I=4, H=5).
func TestRecurrentArgumentChecks(t *testing.T) {
	const T, N, I, H = 3, 2, 4, 5
	type args struct {
		cell                                   RecurrentCell
		x, wih, whh, bih, bhh, h0, c0, lengths *Tensor
	}
	valid := func(cell RecurrentCell) args {
		g := cell.Gates() * H
		a := args{cell: cell, x: rnd(1, T, N, I), wih: rnd(2, g, I), whh: rnd(3, g, H), bih: rnd(4, g), bhh: rnd(5, g),
			h0: rnd(6, N, H), lengths: FromInts([]int{T, 0})}
		if cell == CellLSTM {
			a.c0 = rnd(7, N, H)
		}
		return a
	}
	run := func(a args) *RecurrentRun {
		return Recurrent(RecurrentConfig{Cell: a.cell}, a.x, a.wih, a.whh, a.bih, a.bhh, a.h0, a.c0, a.lengths)
	}
	for _, cell := range []RecurrentCell{CellRNN, CellLSTM, CellGRU} {
		r := run(valid(cell))
		if got := r.Out.Shape(); !slices.Equal(got, []int{T, N, H}) {
			t.Fatalf("%v: output shape %v", cell, got)
		}
		a := valid(cell)
		a.bhh, a.h0, a.c0, a.lengths = nil, nil, nil, nil
		run(a) // the optional inputs may all be left out
	}
	g := CellLSTM.Gates() * H
	for _, c := range []struct {
		name string
		edit func(*args)
		msg  string
	}{
		{"2-D x", func(a *args) { a.x = rnd(1, T*N, I) }, "want x [T, N, I]"},
		{"1-D weight_ih", func(a *args) { a.wih = rnd(2, g*I) }, "want x [T, N, I]"},
		{"3-D weight_hh", func(a *args) { a.whh = rnd(3, g, H, 1) }, "want x [T, N, I]"},
		{"weight_ih rows", func(a *args) { a.wih = rnd(2, g-H, I) }, "weights must be"},
		{"weight_ih columns", func(a *args) { a.wih = rnd(2, g, I+1) }, "weights must be"},
		{"weight_hh rows", func(a *args) { a.whh = rnd(3, g+H, H) }, "weights must be"},
		{"no bias_ih", func(a *args) { a.bih = nil }, "biases must be [20]"},
		{"bias_ih length", func(a *args) { a.bih = rnd(4, g-1) }, "biases must be [20]"},
		{"2-D bias_ih", func(a *args) { a.bih = rnd(4, g, 1) }, "biases must be [20]"},
		{"bias_hh length", func(a *args) { a.bhh = rnd(5, g+1) }, "biases must be [20]"},
		{"2-D bias_hh", func(a *args) { a.bhh = rnd(5, 1, g) }, "biases must be [20]"},
		{"h0 batch", func(a *args) { a.h0 = rnd(6, N+1, H) }, "initial states must be [N, H] = [2, 5]"},
		{"h0 size", func(a *args) { a.h0 = rnd(6, N, H-1) }, "initial states must be [N, H] = [2, 5]"},
		{"1-D h0", func(a *args) { a.h0 = rnd(6, N*H) }, "initial states must be [N, H] = [2, 5]"},
		{"c0 batch", func(a *args) { a.c0 = rnd(7, 1, H) }, "initial states must be [N, H] = [2, 5]"},
		{"c0 size", func(a *args) { a.c0 = rnd(7, N, H+1) }, "initial states must be [N, H] = [2, 5]"},
		{"lengths size", func(a *args) { a.lengths = FromInts([]int{T, T, T}) }, "lengths must be [N] = [2]"},
		{"2-D lengths", func(a *args) { a.lengths = FromInts([]int{T, T}, 1, 2) }, "lengths must be [N] = [2]"},
		{"length past T", func(a *args) { a.lengths = FromInts([]int{T + 1, 1}) }, "length 4 at position 0 out of range"},
		{"negative length", func(a *args) { a.lengths = FromInts([]int{1, -1}) }, "length -1 at position 1 out of range"},
	} {
		a := valid(CellLSTM)
		c.edit(&a)
		if e := mustPanic[*ShapeError](t, c.msg, func() { run(a) }); e.Op != "LSTM" {
			t.Errorf("%s: error of %q, want LSTM", c.name, e.Op)
		}
	}
	for _, cell := range []RecurrentCell{CellRNN, CellGRU} {
		a := valid(cell)
		a.c0 = rnd(7, N, H)
		mustPanic[*ShapeError](t, "only an LSTM takes an initial cell state", func() { run(a) })
	}
}
