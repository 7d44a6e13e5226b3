package tensor

import (
	"fmt"
	"strconv"
	"strings"
)

// maxPrint is the number of elements per axis shown before eliding with "...".
const maxPrint = 6

// String formats the tensor with its shape, dtype and values, eliding the
// middle of long axes, e.g.
//
//	tensor([2 3], float32)
//	[[1 2 3]
//	 [4 5 6]]
func (t *Tensor) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "tensor(%v, %v", t.shape, t.dtype)
	if t.name != "" {
		fmt.Fprintf(&b, ", %q", t.name)
	}
	if t.requiresGrad {
		b.WriteString(", requires_grad")
	}
	b.WriteString(")\n")
	t.format(&b, 0, 0)
	return b.String()
}

func (t *Tensor) format(b *strings.Builder, axis, off int) {
	if len(t.shape) == 0 {
		b.WriteString(t.fmtVal(off))
		return
	}
	n := t.shape[axis]
	stride := numel(t.shape[axis+1:])
	b.WriteByte('[')
	for i := 0; i < n; i++ {
		if n > maxPrint && i == maxPrint/2 {
			if axis == len(t.shape)-1 {
				b.WriteString("... ")
			} else {
				b.WriteString("...\n" + strings.Repeat(" ", axis+1))
			}
			i = n - maxPrint/2
		}
		if axis == len(t.shape)-1 {
			b.WriteString(t.fmtVal(off + i))
		} else {
			t.format(b, axis+1, off+i*stride)
		}
		if i < n-1 {
			if axis == len(t.shape)-1 {
				b.WriteByte(' ')
			} else {
				b.WriteString(strings.Repeat("\n", len(t.shape)-axis-1) + strings.Repeat(" ", axis+1))
			}
		}
	}
	b.WriteByte(']')
}

func (t *Tensor) fmtVal(i int) string {
	f, _ := t.dtype.facts()
	if !f.float {
		return strconv.FormatInt(t.i64[i], 10)
	}
	return strconv.FormatFloat(t.get(i), 'g', 5, f.bits)
}
