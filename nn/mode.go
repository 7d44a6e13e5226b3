package nn

import "reflect"

// ModeReporter is a module whose behaviour depends on its mode and that
// reports it: Dropout, BatchNorm, RNN, LSTM and GRU. Layers without a
// mode (Linear, Conv2d, activations) do not implement it.
type ModeReporter interface {
	// Training reports whether the module is in training mode (the
	// argument of its last SetTraining; a new module is in training mode).
	Training() bool
}

// Training reports whether dropout is on (training mode).
func (d *Dropout) Training() bool { return !d.eval }

// Training reports whether the layer normalises with batch statistics.
func (b *BatchNorm) Training() bool { return !b.eval }

// Training reports whether inter-layer dropout is on.
func (r *recurrent) Training() bool { return r.training }

// IsTraining reports whether m is in training mode, so that code that
// switches a model to evaluation (onnx.Export, an evaluation pass) can put
// it back: m.Training() when m is a ModeReporter; otherwise the modules m
// holds are asked (a Sequential's layers, a wrapped layer, and the
// exported fields of a model struct, through pointers, interfaces, slices
// and maps' values, at any depth; each pointer, slice and map is visited
// once, so structures that refer to themselves are fine), and m is
// training when any of them is. known is false when nothing in m reports a
// mode: its output then does not depend on one.
func IsTraining(m any) (training, known bool) {
	// seen holds the pointers, slices and maps already visited, by address
	// and type (a struct and its first field share an address), and for a
	// slice its length (two slices of one array may differ in length).
	type ref struct {
		addr uintptr
		typ  reflect.Type
		n    int
	}
	seen := map[ref]bool{}
	once := func(v reflect.Value, n int) bool {
		r := ref{v.Pointer(), v.Type(), n}
		if seen[r] {
			return false
		}
		seen[r] = true
		return true
	}
	var visit func(v reflect.Value)
	visit = func(v reflect.Value) {
		if training || !v.IsValid() {
			return
		}
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if v.IsNil() {
				return
			}
			if v.Kind() == reflect.Pointer && !once(v, 0) {
				return
			}
			if v.CanInterface() {
				switch x := v.Interface().(type) {
				case ModeReporter:
					known = true
					training = x.Training()
					return
				case *Sequential:
					for _, l := range x.Layers {
						visit(reflect.ValueOf(l))
					}
					return
				case *wrapped:
					visit(reflect.ValueOf(x.l))
					return
				case *wrappedN:
					visit(reflect.ValueOf(x.l))
					return
				case *single:
					visit(reflect.ValueOf(x.l))
					return
				case *selected:
					visit(reflect.ValueOf(x.m))
					return
				}
			}
			visit(v.Elem())
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				if v.Type().Field(i).IsExported() {
					visit(v.Field(i))
				}
			}
		case reflect.Slice, reflect.Array:
			if v.Kind() == reflect.Slice && (v.Len() == 0 || !once(v, v.Len())) {
				return
			}
			for i := 0; i < v.Len(); i++ {
				visit(v.Index(i))
			}
		case reflect.Map:
			if v.IsNil() || !once(v, 0) {
				return
			}
			it := v.MapRange()
			for it.Next() {
				visit(it.Value())
			}
		}
	}
	visit(reflect.ValueOf(m))
	return training, known
}
