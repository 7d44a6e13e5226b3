package nn

import (
	"fmt"
	"math/rand/v2"

	"github.com/duboko/duboko/tensor"
)

// Embedding maps integer indices to rows of a weight matrix [V, E], as
// torch.nn.Embedding: Forward of an Int64 tensor of indices in [0, V) of
// any shape ([N, T] for a padded batch of token ids) returns that shape
// with E appended. The parameter is named "weight".
//
// With a padding index (EmbeddingPadding) that row is initialised to
// zeros and never receives a gradient, so it stays what it is (PyTorch's
// padding_idx). A frozen embedding (EmbeddingFrozen, SetFrozen) keeps its
// weight out of autodiff and returns no parameter gradients, but still
// lists the weight in Params so that checkpoints hold it.
type Embedding struct {
	NumEmbeddings, Dim int
	Weight             *tensor.Tensor
	// PaddingIdx is the padding row, or −1 for none.
	PaddingIdx int

	frozen bool
	pad    *int           // the padding option's index, as given
	idx    *tensor.Tensor // last input
}

// EmbeddingOption configures NewEmbedding and NewEmbeddingFrom.
type EmbeddingOption func(*Embedding)

// EmbeddingPadding sets the padding index (negative i counts from the
// end, as in PyTorch).
func EmbeddingPadding(i int) EmbeddingOption { return func(e *Embedding) { e.pad = &i } }

// EmbeddingFrozen freezes the weight (see Embedding).
func EmbeddingFrozen() EmbeddingOption { return func(e *Embedding) { e.frozen = true } }

// NewEmbedding returns an Embedding of num rows of dim features,
// initialised from N(0, 1) as PyTorch does (the padding row zero).
func NewEmbedding(rng *rand.Rand, num, dim int, opts ...EmbeddingOption) *Embedding {
	w := tensor.ZerosOf(tensor.Float32, num, dim)
	Normal(0, 1)(rng, w)
	return newEmbedding(w, true, opts)
}

// NewEmbeddingFrom returns an Embedding using the matrix w [V, E] as its
// weight (not copied), such as pretrained word vectors; the padding row is
// kept as given. Unlike PyTorch's from_pretrained it is trainable unless
// EmbeddingFrozen is given.
func NewEmbeddingFrom(w *tensor.Tensor, opts ...EmbeddingOption) *Embedding {
	if w.NDim() != 2 || !w.DType().IsFloat() {
		panic(&tensor.ShapeError{Op: "Embedding", Shapes: [][]int{w.Shape()}, Msg: "weight must be a float matrix [V, E]"})
	}
	return newEmbedding(w, false, opts)
}

func newEmbedding(w *tensor.Tensor, zeroPad bool, opts []EmbeddingOption) *Embedding {
	e := &Embedding{NumEmbeddings: w.Dim(0), Dim: w.Dim(1), Weight: w, PaddingIdx: -1}
	for _, o := range opts {
		o(e)
	}
	if e.pad != nil {
		p := *e.pad
		if p < 0 {
			p += e.NumEmbeddings
		}
		if p < 0 || p >= e.NumEmbeddings {
			panic(&LayerError{Layer: "Embedding", Msg: fmt.Sprintf("padding index %d out of range for %d rows", *e.pad, e.NumEmbeddings)})
		}
		e.PaddingIdx = p
	}
	if zeroPad && e.PaddingIdx >= 0 {
		for j := 0; j < e.Dim; j++ {
			w.Set(0, e.PaddingIdx, j)
		}
	}
	e.SetFrozen(e.frozen)
	return e
}

// SetFrozen freezes (true) or unfreezes the weight.
func (e *Embedding) SetFrozen(frozen bool) {
	e.frozen = frozen
	e.Weight.SetRequiresGrad(!frozen)
}

// Frozen reports whether the weight is frozen.
func (e *Embedding) Frozen() bool { return e.frozen }

// Forward returns the rows of the weight picked by the Int64 indices idx.
func (e *Embedding) Forward(idx *tensor.Tensor) *tensor.Tensor {
	if idx.DType() != tensor.Int64 {
		panic(&tensor.DTypeError{Op: "Embedding", DTypes: []tensor.DType{idx.DType()}, Shapes: [][]int{idx.Shape()},
			Msg: "indices must be an Int64 tensor; build them with tensor.FromInts"})
	}
	e.idx = idx
	flat := tensor.Reshape(idx, -1)
	var out *tensor.Tensor
	tensor.NoGrad(func() { out = tensor.IndexSelect(e.Weight, 0, flat) })
	out = tensor.Reshape(out, append(idx.Shape(), e.Dim)...)
	// idx is recorded as the second input (no gradient) so that the record
	// reaches the indices (onnx export writes a Gather of them).
	w := e.Weight
	return tensor.CustomOp(EmbeddingOp, out, []*tensor.Tensor{w, idx}, func(g *tensor.Tensor) []*tensor.Tensor {
		// Into the storage of the weight's cleared gradient when there is
		// one: a training step then neither allocates nor copies the
		// [V, E] gradient (17.8 MB for the SST vocabulary).
		return []*tensor.Tensor{e.scatter(flat, g, w.ZeroGradStorage()), nil}
	})
}

// scatter returns ∂L/∂weight: each row of g added to the row its index
// picked, except the padding row, into gw (zeros of the weight's shape;
// nil: a new tensor).
func (e *Embedding) scatter(flat, g, gw *tensor.Tensor) *tensor.Tensor {
	if gw == nil {
		gw = tensor.ZerosOf(g.DType(), e.NumEmbeddings, e.Dim)
	}
	ix, E := flat.Int64s(), e.Dim
	switch g.DType() {
	case tensor.Float64:
		scatterRows(gw.Float64s(), g.Float64s(), ix, E, e.PaddingIdx)
	default:
		scatterRows(gw.Float32s(), g.Float32s(), ix, E, e.PaddingIdx)
	}
	return gw
}

func scatterRows[T float32 | float64](dst, src []T, ix []int64, e, pad int) {
	for p, i := range ix {
		if int(i) == pad {
			continue
		}
		d, s := dst[int(i)*e:int(i)*e+e], src[p*e:p*e+e]
		for j, v := range s {
			d[j] += v
		}
	}
}

// BackwardInputs returns nil: indices take no gradient.
func (e *Embedding) BackwardInputs(grad *tensor.Tensor) *tensor.Tensor {
	mustInput("Embedding", e.idx)
	return nil
}

// BackwardParams returns the weight's gradient for the last Forward (none
// when frozen).
func (e *Embedding) BackwardParams(grad *tensor.Tensor) []ParamGrad {
	mustInput("Embedding", e.idx)
	checkGradShape("Embedding", grad, append(e.idx.Shape(), e.Dim))
	if e.frozen {
		return nil
	}
	return []ParamGrad{{"weight", e.Weight, e.scatter(tensor.Reshape(e.idx, -1), grad, nil)}}
}

// Params returns the weight (frozen or not, so checkpoints hold it).
func (e *Embedding) Params() []Param { return []Param{{"weight", e.Weight}} }

// SetTraining does nothing.
func (e *Embedding) SetTraining(bool) {}

// Name returns "Embedding".
func (e *Embedding) Name() string { return "Embedding" }

// EmbeddingOp declares the custom op that Embedding.Forward records (its
// Op.Decl): the inputs are the weight [V, E] and the Int64 indices, the
// output the picked rows, idx.Shape() with E appended (ONNX's
// Gather(weight, idx, axis 0)). A copy of rows, no arithmetic;
// ∂out/∂weight has one non-zero per output element, ∂out/∂idx none.
var EmbeddingOp = &tensor.OpDef{Name: "Embedding", Symbol: "embed",
	Counts: func(*tensor.Op, []int, [][]int) tensor.Counts { return tensor.Counts{} },
	Jacobian: func(_ *tensor.Op, out []int, ins [][]int, i int) tensor.Structure {
		nnz := int64(numel(out))
		if i == 1 {
			nnz = 0
		}
		return tensor.NewStructure(tensor.StructSparse, numel(out), numel(ins[i]), nnz)
	},
	Field: func(*tensor.Op, []int, [][]int) tensor.FieldRule { return tensor.FieldRule{Kind: tensor.FieldSame} },
}

// Counts returns no arithmetic (a lookup copies rows, as the recorded op
// declares) and the output shape: in with Dim appended.
func (e *Embedding) Counts(in []int) (tensor.Counts, []int) {
	return tensor.Counts{}, append(append([]int(nil), in...), e.Dim)
}
