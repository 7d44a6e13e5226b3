package tensor_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/duboko/duboko/internal/optest"
	. "github.com/duboko/duboko/tensor"
)

// TestOpKindsDeclared walks every kind an op can be recorded with and
// checks that it has a unique name and, for the built-in kinds, a complete
// declaration (symbol, counts, Jacobian structure, receptive-field rule),
// which graph, Summarize (and ONNX export) read.
func TestOpKindsDeclared(t *testing.T) {
	names := map[string]OpKind{}
	for _, k := range OpKinds() {
		name := k.String()
		if name == "" || strings.HasPrefix(name, "OpKind(") {
			t.Errorf("kind %d has no name", k)
		}
		if prev, ok := names[name]; ok {
			t.Errorf("kinds %d and %d share the name %q", prev, k, name)
		}
		names[name] = k
		if k == OpCustom {
			continue
		}
		op := Op{Kind: k}
		d := op.Def()
		if !d.Known() {
			t.Errorf("%v: incomplete declaration %+v", k, d)
		}
		if d.Name != name {
			t.Errorf("%v declared as %q", k, d.Name)
		}
	}
	if len(OpKinds()) < 40 || slices.Contains(OpKinds(), OpNone) {
		t.Errorf("OpKinds() = %v", OpKinds())
	}
}

// TestPublicOpsRecordTheirKinds runs every public op and checks the kind
// recorded on its result, and that every kind is produced by some op.
func TestPublicOpsRecordTheirKinds(t *testing.T) {
	seen := map[OpKind]bool{}
	for _, c := range optest.Cases() {
		out, ins := c.Run()
		op := out.Op()
		if op.Kind != c.Kind {
			t.Errorf("%s recorded %v (%q), want %v", c.Func, op.Kind, op.String(), c.Kind)
		}
		if !slices.Contains(OpKinds(), op.Kind) {
			t.Errorf("%s recorded kind %d, not in OpKinds()", c.Func, op.Kind)
		}
		if len(ins) == 0 || out.IsLeaf() {
			t.Errorf("%s: nothing recorded", c.Func)
		}
		seen[op.Kind] = true
	}
	for _, k := range OpKinds() {
		if !seen[k] {
			t.Errorf("no public op in optest.Cases records %v", k)
		}
	}
}

// recordsNothing lists the exported functions returning tensors that
// record no op (creation, hand-derived backward formulas, Into variants).
var recordsNothing = []string{
	"Arange", "Full", "FullOf", "Ones", "Zeros", "ZerosOf", "ZerosLike", "Scalar", "FromFloat32", "FromFloat64", "FromValues",
	"RandN", "RandU", "OneHot", "VJP", "LinearReLUInto", "AvgPool2dBackward", "MaxPool2dBackward",
	"GlobalAvgPool2dBackward", "GlobalMaxPool2dBackward", "Conv2dBackwardInput", "Conv2dBackwardWeight",
	"Conv2dBackwardBias", "BatchNormBackward",
	"FromInt64", "FromInts", "ArangeOf", // integer creation
	"Equal", "NotEqual", "Greater", "GreaterEqual", "Less", "LessEqual", "Sign", "Argmax", "Argmin", // masks and indices: no gradient
	"ScalarOf",
	"ConvTranspose2dBackwardInput", "ConvTranspose2dBackwardWeight", "Bernoulli",
}

// TestEveryPublicOpHasACase reads the package's source and fails for an
// exported function returning a *Tensor that neither has a case in
// optest.Cases nor is listed as recording nothing: a new op must be added
// to the kind checks.
func TestEveryPublicOpHasACase(t *testing.T) {
	pkgs, err := parser.ParseDir(token.NewFileSet(), ".", func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]bool{}
	for _, c := range optest.Cases() {
		cases[strings.Fields(c.Func)[0]] = true
	}
	n := 0
	for _, f := range pkgs["tensor"].Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv != nil || !fd.Name.IsExported() || fd.Type.Results == nil {
				continue
			}
			returnsTensor := false
			for _, r := range fd.Type.Results.List {
				if s, ok := r.Type.(*ast.StarExpr); ok {
					if id, ok := s.X.(*ast.Ident); ok && id.Name == "Tensor" {
						returnsTensor = true
					}
				}
			}
			if !returnsTensor {
				continue
			}
			n++
			name := fd.Name.Name
			if !cases[name] && !slices.Contains(recordsNothing, name) {
				t.Errorf("%s returns a tensor but has no case in internal/optest (or entry in recordsNothing)", name)
			}
		}
	}
	if n < 60 {
		t.Errorf("found only %d public functions returning tensors", n)
	}
}
