package generative

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"testing"

	"github.com/duboko/duboko/gradcheck"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// dcganFixture is testdata/dcgan_torch.json, written by dcgan_torch.py.
type dcganFixture struct {
	Resize []struct {
		Mode     string
		Src, Dst [2]int
		X, Y     []float64
	}
	Players []struct {
		Size, Width int
		GExtra      int      `json:"g_extra"`
		DExtra      int      `json:"d_extra"`
		G           int      `json:"g_params"`
		D           int      `json:"d_params"`
		GN          []string `json:"g_names"`
		DN          []string `json:"d_names"`
	}
}

func loadDCGANFixture(t *testing.T) dcganFixture {
	t.Helper()
	b, err := os.ReadFile("testdata/dcgan_torch.json")
	if err != nil {
		t.Fatal(err)
	}
	var f dcganFixture
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestDCGANResizeAgainstPyTorch: the bilinear and area resizing agree with
// PyTorch's F.interpolate (float32 arithmetic against float64 reference).
func TestDCGANResizeAgainstPyTorch(t *testing.T) {
	for _, c := range loadDCGANFixture(t).Resize {
		src := make([]float32, len(c.X))
		for i, v := range c.X {
			src[i] = float32(v)
		}
		dst := make([]float32, c.Dst[0]*c.Dst[1])
		if c.Mode == "bilinear" {
			resizeBilinear(dst, c.Dst[0], c.Dst[1], src, c.Src[0], c.Src[1])
		} else {
			resizeArea(dst, c.Dst[0], c.Dst[1], src, c.Src[0], c.Src[1])
		}
		for i, v := range dst {
			if math.Abs(float64(v)-c.Y[i]) > 1e-6 {
				t.Fatalf("%s %v→%v: element %d = %v, PyTorch %v", c.Mode, c.Src, c.Dst, i, v, c.Y[i])
			}
		}
	}
}

// TestDCGANPlayersMatchPyTorch: both players of each layout have
// bench/dcgan's PyTorch twin's state-dict names and parameter counts, and
// map noise to images and images to probabilities of the right shapes.
func TestDCGANPlayersMatchPyTorch(t *testing.T) {
	for _, p := range loadDCGANFixture(t).Players {
		c := DCGANConfig{Size: p.Size, Width: p.Width, GExtra: p.GExtra, DExtra: p.DExtra}
		rng := tensor.NewRand(1)
		g, d := NewDCGANGenerator(rng, c), NewDCGANDiscriminator(rng, c)
		for _, m := range []struct {
			what  string
			mod   *nn.Sequential
			n     int
			names []string
		}{{"generator", g, p.G, p.GN}, {"discriminator", d, p.D, p.DN}} {
			var names []string
			for _, s := range nn.StateDict(m.mod) {
				names = append(names, s.Name)
			}
			slices.Sort(names) // duboko lists parameters before buffers
			want := slices.Sorted(slices.Values(m.names))
			if got := nn.NumParams(m.mod); got != m.n || !slices.Equal(names, want) {
				t.Errorf("%v %s: %d parameters %v, PyTorch %d %v", c, m.what, got, names, m.n, m.names)
			}
		}
		if p.Size == 64 && testing.Short() {
			continue
		}
		var x, y *tensor.Tensor
		tensor.NoGrad(func() {
			x = g.Forward(tensor.RandN(rng, 3, DCGANLatent))
			y = d.Forward(x)
		})
		if !slices.Equal(x.Shape(), []int{3, 1, p.Size, p.Size}) || !slices.Equal(y.Shape(), []int{3, 1}) {
			t.Fatalf("%v: G(z) %v, D(G(z)) %v", c, x.Shape(), y.Shape())
		}
		for i := 0; i < x.Len(); i++ {
			if v := x.Flat(i); !(v > -1 && v < 1) {
				t.Fatalf("%v: G(z) holds %v, want (−1, 1) from tanh", c, v)
			}
		}
	}
}

// TestDCGANInit: convolution weights are drawn N(0, 0.02²) and BatchNorm γ
// N(1, 0.02²), β 0, as the DCGAN paper says.
func TestDCGANInit(t *testing.T) {
	g := NewDCGANGenerator(tensor.NewRand(4), DCGANConfig{})
	for _, p := range g.Params() {
		v := p.Tensor
		var s, s2 float64
		for i := 0; i < v.Len(); i++ {
			s += v.Flat(i)
			s2 += v.Flat(i) * v.Flat(i)
		}
		n := float64(v.Len())
		mean, std := s/n, math.Sqrt(s2/n-(s/n)*(s/n))
		want := 0.0
		switch {
		case v.NDim() == 1 && p.Name[len(p.Name)-4:] == "bias":
			if s2 != 0 {
				t.Errorf("%s: β not 0", p.Name)
			}
			continue
		case v.NDim() == 1:
			want = 1
		}
		if math.Abs(mean-want) > 4*0.02/math.Sqrt(n)+1e-3 || math.Abs(std-0.02) > 0.25*0.02 {
			t.Errorf("%s: mean %.4f std %.4f, want N(%v, 0.02²)", p.Name, mean, std, want)
		}
	}
}

// TestDCGANGradcheck compares, in float64, the gradients that a
// generator step sends into a narrow DCGAN's players (through both
// BatchNorms, LeakyReLU, sigmoid and BCE) with central differences.
func TestDCGANGradcheck(t *testing.T) {
	c := DCGANConfig{Width: 2, Latent: 3}
	rng := tensor.NewRand(7)
	g, d := NewDCGANGenerator(rng, c), NewDCGANDiscriminator(rng, c)
	nn.To(g, tensor.Float64)
	nn.To(d, tensor.Float64)
	z := tensor.To(tensor.RandN(rng, 4, 3), tensor.Float64)
	loss := func() *tensor.Tensor {
		p := d.Forward(g.Forward(z))
		return nn.BCE(p, tensor.FullOf(tensor.Float64, 1, p.Shape()...))
	}
	var names []string
	var ps []*tensor.Tensor
	for _, p := range append(nn.Prefixed("generator", g.Params()), nn.Prefixed("discriminator", d.Params())...) {
		names, ps = append(names, p.Name), append(ps, p.Tensor)
	}
	if r := gradcheck.Params(loss, names, ps, gradcheck.Options{Samples: 12, Seed: 3}); !r.OK() {
		t.Fatal(r)
	}
}

// TestDCGANTaskStep: a step on images in [0, 1] moves both players and
// reports D's mean outputs as probabilities; the batch's images reach D
// scaled to [−1, 1] (an all-white batch is seen as all ones).
func TestDCGANTaskStep(t *testing.T) {
	task := NewDCGANTask(DCGANConfig{Width: 4}, 1, 0, 1, NonSaturating)
	b := dcganBatch(8, 28, 3)
	before := func(m nn.Module) []float64 {
		var v []float64
		for _, p := range m.Params() {
			for i := 0; i < p.Tensor.Len(); i++ {
				v = append(v, p.Tensor.Flat(i))
			}
		}
		return v
	}
	g0, d0 := before(task.G), before(task.D)
	ms, err := task.Step(b)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(g0, before(task.G)) || slices.Equal(d0, before(task.D)) {
		t.Fatal("a step left a player unchanged")
	}
	for _, k := range []string{"d_real", "d_fake"} {
		if v := ms.Get(k); !(v > 0 && v < 1) {
			t.Errorf("%s = %v", k, v)
		}
	}
	var seen *tensor.Tensor
	task.D = spy{task.D, &seen}
	for i := range b.X {
		b.X[i] = 1
	}
	if _, err := task.Step(b); err != nil {
		t.Fatal(err)
	}
	if seen == nil || seen.Flat(0) != 1 || seen.Dim(2) != 28 {
		t.Fatalf("D saw %v, want images of ones", seen)
	}
	task64 := NewDCGANTask(DCGANConfig{Size: 64, Width: 2}, 1, 0, 1, Minimax)
	seen = nil
	task64.D = spy{task64.D, &seen}
	for i := range b.X {
		b.X[i] = 0
	}
	if _, err := task64.Step(b); err != nil {
		t.Fatal(err)
	}
	if seen.Dim(2) != 64 || seen.Flat(0) != -1 || seen.Flat(seen.Len()-1) != -1 {
		t.Fatalf("64×64 D saw %v, want 64×64 images of −1", seen.Shape())
	}
	// At 32×32 the step pads the batch as DCGANImages does.
	task32 := NewDCGANTask(DCGANConfig{Size: 32, Width: 2}, 1, 0, 1, NonSaturating)
	seen = nil
	task32.D = spy{task32.D, &seen}
	for i := range b.X {
		b.X[i] = float32(i%784) / 784
	}
	if _, err := task32.Step(b); err != nil {
		t.Fatal(err)
	}
	want := make([]float32, 1024)
	dcganImage(want, 32, b.X[:784], 28, 28)
	if want[0] != -1 || want[2*32+2] != -1 || want[2*32+3] != 2*(1.0/784)-1 {
		t.Fatalf("dcganImage at 32×32: %v %v %v", want[0], want[2*32+2], want[2*32+3])
	}
	if seen.Dim(2) != 32 || !slices.Equal(seen.Float32s()[:1024], want) {
		t.Fatalf("32×32 D saw %v, want the padded images", seen.Shape())
	}
}

// spy is a module that keeps the input of its first Forward (in a step:
// the real batch).
type spy struct {
	nn.Module
	first **tensor.Tensor
}

func (s spy) Forward(x *tensor.Tensor) *tensor.Tensor {
	if *s.first == nil {
		*s.first = x
	}
	return s.Module.Forward(x)
}

// TestToMNIST: generator images in [−1, 1] become [N, 784] in [0, 1],
// clamped, and 64×64 images are shrunk by area averaging.
func TestToMNIST(t *testing.T) {
	x := tensor.FullOf(tensor.Float32, -1, 2, 1, 28, 28)
	x.SetFlat(0, 1)
	x.SetFlat(1, 0)
	x.SetFlat(2, 1.5)
	y := ToMNIST(x)
	if !slices.Equal(y.Shape(), []int{2, 784}) || y.Flat(0) != 1 || y.Flat(1) != 0.5 || y.Flat(2) != 1 || y.Flat(3) != 0 {
		t.Fatalf("ToMNIST: %v %v", y.Shape(), []float64{y.Flat(0), y.Flat(1), y.Flat(2), y.Flat(3)})
	}
	big := tensor.FullOf(tensor.Float32, 0.5, 1, 1, 64, 64)
	if y := ToMNIST(big); !slices.Equal(y.Shape(), []int{1, 784}) || math.Abs(y.Flat(400)-0.75) > 1e-6 {
		t.Fatalf("ToMNIST 64: %v %v", y.Shape(), y.Flat(400))
	}
}

// imageSet is a data set of n one-channel images [1, h, w] with values in
// (0, 1), each pixel different.
type imageSet struct{ n, h, w int }

func (s imageSet) Len() int               { return s.n }
func (s imageSet) SampleShape() []int     { return []int{1, s.h, s.w} }
func (s imageSet) pixel(i, j int) float32 { return float32(1+i*s.h*s.w+j) / float32(1+s.n*s.h*s.w) }
func (s imageSet) Sample(i int, x []float32) int {
	for j := range s.h * s.w {
		x[j] = s.pixel(i, j)
	}
	return i % 10
}

// TestDCGANImagesPad32: at the 32×32 layout MNIST's 28×28 images are
// centred on a background of −1 (a padding of 2) after the scaling to
// [−1, 1], and ToMNIST's centre cut gives the images back.
func TestDCGANImagesPad32(t *testing.T) {
	src := imageSet{n: 3, h: 28, w: 28}
	v, err := NewDCGANImages(src, 32)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(v.SampleShape(), []int{1, 32, 32}) {
		t.Fatalf("sample shape %v", v.SampleShape())
	}
	all := make([]float32, 3*1024)
	for i := range 3 {
		x := all[i*1024 : (i+1)*1024]
		for j := range x {
			x[j] = 7 // overwritten everywhere
		}
		if label := v.Sample(i, x); label != i {
			t.Errorf("image %d: label %d", i, label)
		}
		for y := range 32 {
			for c := range 32 {
				want := float32(-1)
				if y >= 2 && y < 30 && c >= 2 && c < 30 {
					want = 2*src.pixel(i, (y-2)*28+c-2) - 1
				}
				if x[y*32+c] != want {
					t.Fatalf("image %d pixel (%d, %d) = %v, want %v", i, y, c, x[y*32+c], want)
				}
			}
		}
	}
	back := ToMNIST(tensor.FromFloat32(all, 3, 1, 32, 32))
	for i := range 3 {
		for j := range 784 {
			if got, want := back.Flat(i*784+j), float64(src.pixel(i, j)); math.Abs(got-want) > 1e-6 {
				t.Fatalf("ToMNIST: image %d value %d = %v, want %v", i, j, got, want)
			}
		}
	}
}

// ExampleNewDCGANTask builds the default DCGAN and turns noise into
// MNIST-shaped images.
func ExampleNewDCGANTask() {
	task := NewDCGANTask(DCGANConfig{}, 1, 0, 1, NonSaturating)
	imgs := Generate(task.G, tensor.RandN(tensor.NewRand(2), 4, task.Latent))
	fmt.Println(task.Config, imgs.Shape(), ToMNIST(imgs).Shape())
	fmt.Println(nn.NumParams(task.G), nn.NumParams(task.D))
	// Output:
	// dcgan 28×28 (z 100, width 32) [4 1 28 28] [4 784]
	// 347072 36544
}
