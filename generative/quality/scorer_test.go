package quality

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/duboko/duboko/data/mnist"
	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// tinyRecipe trains the MLP on 2,000 images for one epoch: a second or
// two, about 85 % test accuracy, enough to exercise everything.
var tinyRecipe = Recipe{Model: "mlp", Epochs: 1, Batch: 50, LR: 1e-3, Seed: 1, MaxTrain: 2000, MinAccuracy: 0.75}

var (
	tinyOnce   sync.Once
	tinyScorer *Scorer
	tinyErr    error
	testSubset *mnist.Set // the first 2,000 test images: the reference of the tests
	trainSet   *mnist.Set
)

// tiny returns a Scorer with the tiny classifier and 2,000 test images as
// its reference, trained once for all tests in a temporary cache.
func tiny(t *testing.T) *Scorer {
	t.Helper()
	tinyOnce.Do(func() {
		var test *mnist.Set
		trainSet, test, tinyErr = mnist.Load()
		if tinyErr != nil {
			return
		}
		testSubset, _ = mnist.Split(test, test.N-2000)
		dir, err := os.MkdirTemp("", "quality-test-")
		if err != nil {
			tinyErr = err
			return
		}
		defer os.RemoveAll(dir)
		r := tinyRecipe
		tinyScorer, tinyErr = New(context.Background(), Options{CacheDir: dir, Recipe: &r, Train: trainSet, Test: testSubset})
	})
	if tinyErr != nil {
		t.Fatal(tinyErr)
	}
	return tinyScorer
}

// images returns images [from, to) of s as a tensor [N, 1, 28, 28].
func images(s *mnist.Set, from, to int) *tensor.Tensor {
	x := make([]float32, (to-from)*784)
	for i := from; i < to; i++ {
		s.Sample(i, x[(i-from)*784:(i-from+1)*784])
	}
	return tensor.FromFloat32(x, to-from, 1, 28, 28)
}

func TestScoreReferenceAgainstItself(t *testing.T) {
	s := tiny(t)
	if s.RefAccuracy < tinyRecipe.MinAccuracy {
		t.Fatalf("reference accuracy %.3f", s.RefAccuracy)
	}
	sc, err := s.Score(images(testSubset, 0, testSubset.N))
	if err != nil {
		t.Fatal(err)
	}
	// the same images give the same statistics: FD 0 up to rounding
	// (the features' total variance is the scale)
	tr := 0.0
	for i := 0; i < s.Ref.Dim(); i++ {
		tr += s.Ref.Cov[i*s.Ref.Dim()+i]
	}
	if sc.FrechetDistance > 1e-6*tr {
		t.Errorf("FD of the reference against itself = %g (tr Σ = %g)", sc.FrechetDistance, tr)
	}
	if math.Abs(sc.InceptionScore-s.RefInceptionScore) > 1e-9 || sc.N != testSubset.N {
		t.Errorf("IS %v (N %d), reference IS %v", sc.InceptionScore, sc.N, s.RefInceptionScore)
	}
	if sc.InceptionScore < 3 || sc.InceptionScore > 10 {
		t.Errorf("IS of real digits with an %.0f %% classifier = %v", 100*s.RefAccuracy, sc.InceptionScore)
	}
}

func TestScoreOrdersRealAboveNoise(t *testing.T) {
	s := tiny(t)
	real, err := s.Score(images(trainSet, 0, 2000))
	if err != nil {
		t.Fatal(err)
	}
	// noise: each pixel uniform in [0, 1]
	rng := tensor.NewRand(3)
	noise, err := s.Score(tensor.RandU(rng, 0, 1, 2000, 784))
	if err != nil {
		t.Fatal(err)
	}
	// blank images: one prediction for all, so IS = 1
	blank, err := s.Score(tensor.Zeros(100, 1, 28, 28))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("real: IS %.3f FD %.3f; noise: IS %.3f FD %.3f; blank: IS %.6f FD %.3f",
		real.InceptionScore, real.FrechetDistance, noise.InceptionScore, noise.FrechetDistance, blank.InceptionScore, blank.FrechetDistance)
	if !(real.InceptionScore > 2*noise.InceptionScore) || !(noise.FrechetDistance > 10*real.FrechetDistance) {
		t.Errorf("training digits do not score clearly better than noise")
	}
	if math.Abs(blank.InceptionScore-1) > 1e-9 || !(blank.FrechetDistance > 10*real.FrechetDistance) {
		t.Errorf("blank images: IS %v (want 1), FD %v", blank.InceptionScore, blank.FrechetDistance)
	}
}

func TestScoreRejectsBadImages(t *testing.T) {
	s := tiny(t)
	for name, c := range map[string]struct {
		x    *tensor.Tensor
		want string
	}{
		"tanh range": {tensor.Full(-0.5, 4, 1, 28, 28), "(x+1)/2"},
		"above 1":    {tensor.Full(1.5, 4, 784), "outside [0, 1]"},
		"NaN":        {tensor.Full(math.NaN(), 4, 784), "outside [0, 1]"},
		"shape":      {tensor.Zeros(4, 3, 28, 28), "[N, 1, 28, 28]"},
		"flat":       {tensor.Zeros(4, 783), "[N, 1, 28, 28]"},
		"one image":  {tensor.Zeros(1, 784), "at least 2"},
	} {
		_, err := s.Score(c.x)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", name, err, c.want)
		}
	}
}

func TestNewCachesAndValidates(t *testing.T) {
	_ = tiny(t) // loads the data sets
	dir := t.TempDir()
	r := tinyRecipe
	opt := Options{CacheDir: dir, Recipe: &r, Train: trainSet, Test: testSubset}
	var log bytes.Buffer
	opt.Log = &log
	s1, err := New(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	path, _ := r.CacheFile(dir)
	if !strings.Contains(log.String(), "training") || !strings.Contains(log.String(), "cached in "+path) {
		t.Fatalf("first New did not train and cache: %s", log.String())
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	// the second New loads the cache: no training, the same classifier
	log.Reset()
	s2, err := New(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(log.String(), "training") || s2.RefAccuracy != s1.RefAccuracy || s2.RefInceptionScore != s1.RefInceptionScore {
		t.Fatalf("second New: %s (accuracy %v vs %v)", log.String(), s2.RefAccuracy, s1.RefAccuracy)
	}
	// a damaged cache is trained anew and replaced
	if err := os.WriteFile(path, []byte("not a safetensors file"), 0o644); err != nil {
		t.Fatal(err)
	}
	log.Reset()
	s3, err := New(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "not usable") || s3.RefAccuracy != s1.RefAccuracy {
		t.Fatalf("damaged cache: %s", log.String())
	}
	if _, err := LoadClassifier(path); err != nil {
		t.Fatalf("the replaced cache does not load: %v", err)
	}
	// a cache whose weights are fine but whose accuracy is too low (a
	// fresh, untrained network under the same name) is trained anew
	untrained := models.MLP(tensor.NewRand(9))
	if err := saveCached(path, untrained, r, 0.1); err != nil {
		t.Fatal(err)
	}
	log.Reset()
	if _, err := New(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "test accuracy") || !strings.Contains(log.String(), "training") {
		t.Fatalf("inaccurate cache: %s", log.String())
	}
	// another recipe is another file
	r2 := r
	r2.Seed = 2
	if p2, _ := r2.CacheFile(dir); p2 == path {
		t.Errorf("recipes %v and %v share a cache file", r, r2)
	}
	// an explicit classifier is used as it is
	s4, err := New(context.Background(), Options{Classifier: path, Test: testSubset})
	if err != nil || s4.RefAccuracy != s1.RefAccuracy {
		t.Fatalf("explicit classifier: %v", err)
	}
}

func TestLoadClassifierRefusesOthers(t *testing.T) {
	dir := t.TempDir()
	rbm := filepath.Join(dir, "rbm.safetensors")
	if err := nn.Save(rbm, models.NewRBM(tensor.NewRand(1), 784, 10), map[string]string{"model": "rbm"}); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadClassifier(rbm); err == nil || !strings.Contains(err.Error(), `model "rbm", not an MNIST classifier`) {
		t.Errorf("rbm checkpoint: %v", err)
	}
	bare := filepath.Join(dir, "bare.safetensors")
	if err := nn.Save(bare, models.MLP(tensor.NewRand(1)), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadClassifier(bare); err == nil || !strings.Contains(err.Error(), "names no model") {
		t.Errorf("checkpoint without a model name: %v", err)
	}
	wrong := filepath.Join(dir, "wrong.safetensors")
	if err := nn.Save(wrong, models.MLP(tensor.NewRand(1)), map[string]string{"model": "cnn"}); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadClassifier(wrong); err == nil {
		t.Error("an MLP's weights loaded as a CNN")
	}
	if _, err := LoadClassifier(filepath.Join(dir, "missing.safetensors")); err == nil {
		t.Error("missing file: no error")
	}
}

func TestSamplesFile(t *testing.T) {
	dir := t.TempDir()
	x := tensor.RandU(tensor.NewRand(1), 0, 1, 5, 1, 28, 28)
	p := filepath.Join(dir, "s.safetensors")
	if err := WriteSamples(p, x); err != nil {
		t.Fatal(err)
	}
	got, err := ReadSamples(p)
	if err != nil {
		t.Fatal(err)
	}
	if !equalFloats(got.Float32s(), x.Float32s()) || got.Dim(0) != 5 {
		t.Fatalf("round trip changed the images")
	}
	// [N, 784] under any single name
	flat := filepath.Join(dir, "flat.safetensors")
	writeTensors(t, flat, map[string]*tensor.Tensor{"x": tensor.Reshape(x, 5, 784)})
	if got, err := ReadSamples(flat); err != nil || got.Len() != x.Len() {
		t.Fatalf("flat file: %v", err)
	}
	for name, c := range map[string]struct {
		ts   map[string]*tensor.Tensor
		want string
	}{
		"two tensors": {map[string]*tensor.Tensor{"a": x, "b": x}, `none named "samples"`},
		"shape":       {map[string]*tensor.Tensor{"samples": tensor.Zeros(5, 3, 28, 28)}, "want [N, 1, 28, 28]"},
		"range":       {map[string]*tensor.Tensor{"samples": tensor.Full(-1, 5, 784)}, "(x+1)/2"},
		"int":         {map[string]*tensor.Tensor{"samples": tensor.Reshape(tensor.FromInt64(make([]int64, 5*784)), 5, 784)}, "samples"},
	} {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".safetensors")
		writeTensors(t, p, c.ts)
		if _, err := ReadSamples(p); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", name, err, c.want)
		}
	}
}

func equalFloats(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// writeTensors saves ts as a state dict.
func writeTensors(t *testing.T, path string, ts map[string]*tensor.Tensor) {
	t.Helper()
	var ps []nn.Param
	for n, v := range ts {
		ps = append(ps, nn.Param{Name: n, Tensor: v})
	}
	if err := nn.Save(path, paramList(ps), nil); err != nil {
		t.Fatal(err)
	}
}

// paramList is a parameter-only module for writing test files.
type paramList []nn.Param

func (p paramList) Params() []nn.Param                             { return p }
func (p paramList) SetTraining(bool)                               {}
func (p paramList) Forward(x *tensor.Tensor) *tensor.Tensor        { return x }
func (p paramList) BackwardInputs(g *tensor.Tensor) *tensor.Tensor { return g }
func (p paramList) BackwardParams(*tensor.Tensor) []nn.ParamGrad   { return nil }
