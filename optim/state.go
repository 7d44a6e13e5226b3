package optim

import (
	"fmt"
	"strconv"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// StateOf returns an optimizer's per-parameter state as named tensors, for
// checkpoints: for a parameter named p, "p.step" (one value: the number of
// updates applied to it) and "p.state0", "p.state1", … (its state buffers
// in the parameter's shape and dtype: SGD's momentum buffer, Adam's first
// and second moments, …). Parameters that have not been updated yet have
// no entries. The tensors share storage with the optimizer.
func StateOf(o Optimizer) ([]nn.Param, error) {
	b, ok := o.(interface{ baseState() *base })
	if !ok {
		return nil, fmt.Errorf("optim: %T does not expose its state", o)
	}
	return b.baseState().state(), nil
}

// LoadState restores state written by StateOf into o, whose parameters
// must have the same names and shapes. A parameter without entries starts
// fresh; a buffer of the wrong size is an error and leaves o unchanged.
func LoadState(o Optimizer, state []nn.Param) error {
	b, ok := o.(interface{ baseState() *base })
	if !ok {
		return fmt.Errorf("optim: %T does not expose its state", o)
	}
	return b.baseState().loadState(state)
}

func (b *base) baseState() *base { return b }

func (b *base) state() []nn.Param {
	var out []nn.Param
	for i, s := range b.slots {
		if s.step == 0 {
			continue
		}
		name := b.params[i].Name
		out = append(out, nn.Param{Name: name + ".step", Tensor: tensor.FromFloat64([]float64{float64(s.step)})})
		shape := s.p.Shape()
		for k, buf := range s.f32 {
			out = append(out, nn.Param{Name: name + ".state" + strconv.Itoa(k), Tensor: tensor.FromFloat32(buf, shape...)})
		}
		for k, buf := range s.f64 {
			out = append(out, nn.Param{Name: name + ".state" + strconv.Itoa(k), Tensor: tensor.FromFloat64(buf, shape...)})
		}
	}
	return out
}

func (b *base) loadState(state []nn.Param) error {
	byName := make(map[string]*tensor.Tensor, len(state))
	for _, p := range state {
		byName[p.Name] = p.Tensor
	}
	type loaded struct {
		step int
		bufs [][]float64
	}
	next := make([]loaded, len(b.slots))
	used := 0
	for i, s := range b.slots {
		name := b.params[i].Name
		st, ok := byName[name+".step"]
		if !ok {
			continue
		}
		used++
		if st.Len() != 1 || st.Item() < 1 {
			return fmt.Errorf("optim: state %q must hold one positive step count", name+".step")
		}
		next[i].step = int(st.Item())
		for k := 0; ; k++ {
			t, ok := byName[name+".state"+strconv.Itoa(k)]
			if !ok {
				break
			}
			used++
			if t.Len() != s.p.Len() {
				return fmt.Errorf("optim: state %q has %d values for a parameter of shape %v", name+".state"+strconv.Itoa(k), t.Len(), s.p.Shape())
			}
			next[i].bufs = append(next[i].bufs, t.Values())
		}
	}
	if used != len(state) {
		return fmt.Errorf("optim: %d state tensors do not belong to any parameter of this optimizer", len(state)-used)
	}
	for i := range b.slots {
		s := &b.slots[i]
		s.step, s.f32, s.f64 = next[i].step, nil, nil
		for _, v := range next[i].bufs {
			if s.p.DType() == tensor.Float64 {
				s.f64 = append(s.f64, v)
			} else {
				f := make([]float32, len(v))
				for j, x := range v {
					f[j] = float32(x)
				}
				s.f32 = append(s.f32, f)
			}
		}
	}
	return nil
}
