package nn

import (
	"fmt"
	"strings"

	"github.com/duboko/duboko/tensor"
)

// checkInputDType panics with a *tensor.DTypeError when the input x of a
// layer has another dtype than its parameter p, saying how to make them
// agree: convert the model (nn.To) or the input (tensor.To). The tensor
// op would panic too, but its hint names only tensor.To, which cannot
// convert a model's parameters.
func checkInputDType(layer string, x, p *tensor.Tensor) {
	if p == nil || x.DType() == p.DType() {
		return
	}
	xd, pd := x.DType(), p.DType()
	msg := fmt.Sprintf("the input is %v but the layer's parameters are %v: ", xd, pd)
	if xd.IsFloat() {
		msg += fmt.Sprintf("convert the model with nn.To(model, tensor.%s) or the input with tensor.To(x, tensor.%s)", dtypeIdent(xd), dtypeIdent(pd))
	} else {
		msg += fmt.Sprintf("convert the input with tensor.To(x, tensor.%s)", dtypeIdent(pd))
	}
	panic(&tensor.DTypeError{Op: layer, DTypes: []tensor.DType{xd, pd}, Shapes: [][]int{x.Shape(), p.Shape()}, Msg: msg})
}

// dtypeIdent returns the Go name of a dtype's constant ("Float64").
func dtypeIdent(d tensor.DType) string {
	s := d.String()
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
