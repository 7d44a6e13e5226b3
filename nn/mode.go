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
// and maps' values), and m is training when any of them is. known is false
// when nothing in m reports a mode: its output then does not depend on one.
func IsTraining(m any) (training, known bool) {
	seen := map[uintptr]bool{}
	var visit func(v reflect.Value, depth int)
	visit = func(v reflect.Value, depth int) {
		if training || depth > 16 || !v.IsValid() {
			return
		}
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if v.IsNil() {
				return
			}
			if v.Kind() == reflect.Pointer {
				if seen[v.Pointer()] {
					return
				}
				seen[v.Pointer()] = true
			}
			if v.CanInterface() {
				switch x := v.Interface().(type) {
				case ModeReporter:
					known = true
					training = x.Training()
					return
				case *Sequential:
					for _, l := range x.Layers {
						visit(reflect.ValueOf(l), depth+1)
					}
					return
				case *wrapped:
					visit(reflect.ValueOf(x.l), depth+1)
					return
				case *wrappedN:
					visit(reflect.ValueOf(x.l), depth+1)
					return
				case *single:
					visit(reflect.ValueOf(x.l), depth+1)
					return
				case *selected:
					visit(reflect.ValueOf(x.m), depth+1)
					return
				}
			}
			visit(v.Elem(), depth+1)
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				if v.Type().Field(i).IsExported() {
					visit(v.Field(i), depth+1)
				}
			}
		case reflect.Slice, reflect.Array:
			for i := 0; i < v.Len(); i++ {
				visit(v.Index(i), depth+1)
			}
		case reflect.Map:
			it := v.MapRange()
			for it.Next() {
				visit(it.Value(), depth+1)
			}
		}
	}
	visit(reflect.ValueOf(m), 0)
	return training, known
}
