package quality

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/duboko/duboko/data/mnist"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// Classes is the number of MNIST classes, the best possible Inception
// Score.
const Classes = 10

// Scorer scores batches of 28×28 images in [0, 1] with one classifier:
// the classifier Inception Score of its predictions and the Fréchet
// distance between Gaussian fits of its penultimate-layer features of the
// images and of a reference set (the MNIST test set).
type Scorer struct {
	net            *nn.Sequential
	features, head *nn.Sequential
	// Ref is the Gaussian fit of the reference set's features.
	Ref *Gaussian
	// RefAccuracy is the classifier's accuracy on the reference set, and
	// RefInceptionScore the reference set's own Inception Score: the
	// scale against which samples are judged.
	RefAccuracy, RefInceptionScore float64
}

// Scores are the scores of one batch of images.
type Scores struct {
	InceptionScore  float64 // exp(E_x[KL(p(y|x) ‖ p(y))]), 1 to 10
	FrechetDistance float64 // between the feature Gaussians of the images and of the reference set
	N               int     // images scored
}

// Options configure New.
type Options struct {
	// Classifier is a checkpoint of an MNIST classifier of package models
	// (as 'duboko train' writes). Empty: the classifier cached by Recipe,
	// trained now and cached when missing or invalid.
	Classifier string
	// CacheDir is the cache directory ("": DefaultCacheDir).
	CacheDir string
	// Recipe trains the classifier when there is none (nil: DefaultRecipe).
	Recipe *Recipe
	// Train and Test are the MNIST sets (nil: the embedded ones).
	Train, Test *mnist.Set
	// Log receives a line for what New does and the training progress
	// (nil: nothing).
	Log io.Writer
}

// New returns a Scorer whose reference is the MNIST test set. It uses the
// classifier checkpoint opt.Classifier, or else the classifier cached for
// the recipe, or else trains one by the recipe (a minute or a few on two
// cores) and caches it atomically. A cached classifier is checked on load:
// its recipe, tensors (names, shapes, finite values) and its test accuracy
// (at least the recipe's MinAccuracy); one that fails is trained anew.
func New(ctx context.Context, opt Options) (*Scorer, error) {
	log := opt.Log
	if log == nil {
		log = io.Discard
	}
	trainSet, test := opt.Train, opt.Test
	if trainSet == nil || test == nil {
		tr, te, err := mnist.Load()
		if err != nil {
			return nil, err
		}
		if trainSet == nil {
			trainSet = tr
		}
		if test == nil {
			test = te
		}
	}
	if opt.Classifier != "" {
		net, err := LoadClassifier(opt.Classifier)
		if err != nil {
			return nil, err
		}
		return NewScorer(net, test)
	}
	r := DefaultRecipe
	if opt.Recipe != nil {
		r = *opt.Recipe
	}
	if err := r.validate(); err != nil {
		return nil, err
	}
	path, err := r.CacheFile(opt.CacheDir)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); err == nil {
		net, err := loadCached(path, r)
		if err == nil {
			s, err := NewScorer(net, test)
			if err == nil && s.RefAccuracy >= r.MinAccuracy {
				fmt.Fprintf(log, "scoring classifier: %s (test accuracy %.2f%%)\n", path, 100*s.RefAccuracy)
				return s, nil
			}
			if err == nil {
				err = fmt.Errorf("test accuracy %.2f%% < %.2f%%", 100*s.RefAccuracy, 100*r.MinAccuracy)
			}
		}
		fmt.Fprintf(log, "scoring classifier: the cached %s is not usable (%v); training it anew\n", path, err)
	}
	fmt.Fprintf(log, "scoring classifier: training %s (once; cached in %s)\n", r, path)
	net, err := TrainClassifier(ctx, r, trainSet, log)
	if err != nil {
		return nil, err
	}
	s, err := NewScorer(net, test)
	if err != nil {
		return nil, err
	}
	if s.RefAccuracy < r.MinAccuracy {
		return nil, fmt.Errorf("quality: the classifier trained by %s reaches only %.2f%% test accuracy (< %.2f%%)", r, 100*s.RefAccuracy, 100*r.MinAccuracy)
	}
	if err := saveCached(path, net, r, s.RefAccuracy); err != nil {
		fmt.Fprintf(log, "scoring classifier: not cached: %v\n", err)
	} else {
		fmt.Fprintf(log, "scoring classifier: test accuracy %.2f%%, cached in %s\n", 100*s.RefAccuracy, path)
	}
	return s, nil
}

// NewScorer returns a Scorer with the classifier net (a Sequential whose
// last layer gives 10 logits; the output of the layers before it are the
// features) and the reference set ref (the MNIST test set, 28×28 images).
// It runs the classifier over ref once; the square root of the reference
// covariance is computed by the first Score.
func NewScorer(net *nn.Sequential, ref *mnist.Set) (*Scorer, error) {
	if err := checkClassifier(net); err != nil {
		return nil, err
	}
	if ref.H != 28 || ref.W != 28 || ref.N < 2 {
		return nil, fmt.Errorf("quality: the reference set must hold at least 2 images of 28×28, got %d of %d×%d", ref.N, ref.H, ref.W)
	}
	k := len(net.Layers) - 1
	s := &Scorer{net: net,
		features: &nn.Sequential{Names: net.Names[:k:k], Layers: net.Layers[:k:k]},
		head:     &nn.Sequential{Names: net.Names[k:], Layers: net.Layers[k:]}}
	x := make([]float32, ref.N*784)
	for i := 0; i < ref.N; i++ {
		ref.Sample(i, x[i*784:(i+1)*784])
	}
	feats, probs, d, err := s.run(tensor.FromFloat32(x, ref.N, 1, 28, 28))
	if err != nil {
		return nil, err
	}
	correct := 0
	for i := 0; i < ref.N; i++ {
		if argmax(probs[i*Classes:(i+1)*Classes]) == int(ref.Labels[i]) {
			correct++
		}
	}
	s.RefAccuracy = float64(correct) / float64(ref.N)
	if s.RefInceptionScore, err = InceptionScore(probs, Classes); err != nil {
		return nil, err
	}
	if s.Ref, err = FitGaussian(feats, ref.N, d); err != nil {
		return nil, err
	}
	return s, nil
}

func argmax(v []float64) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

// Score returns the scores of the images x: a float tensor of shape
// [N, 1, 28, 28], [N, 28, 28] or [N, 784] with values in [0, 1] (a
// generator with a tanh output must map its samples by (x+1)/2 first). The
// Fréchet distance needs at least 2 images and is biased upwards for few;
// compare scores of equally many images (10,000, as many as the test set,
// is the convention).
func (s *Scorer) Score(x *tensor.Tensor) (*Scores, error) {
	x, err := asImages(x)
	if err != nil {
		return nil, err
	}
	n := x.Dim(0)
	feats, probs, d, err := s.run(x)
	if err != nil {
		return nil, err
	}
	sc := &Scores{N: n}
	if sc.InceptionScore, err = InceptionScore(probs, Classes); err != nil {
		return nil, err
	}
	g, err := FitGaussian(feats, n, d)
	if err != nil {
		return nil, err
	}
	if sc.FrechetDistance, err = FrechetDistance(s.Ref, g); err != nil {
		return nil, err
	}
	return sc, nil
}

// asImages checks x's shape and range and returns it as float32
// [N, 1, 28, 28].
func asImages(x *tensor.Tensor) (*tensor.Tensor, error) {
	sh := x.Shape()
	if !x.DType().IsFloat() || len(sh) == 0 || sh[0] < 1 {
		return nil, fmt.Errorf("quality: images must be a float tensor [N, 1, 28, 28] or [N, 784], got %v %v", x.DType(), sh)
	}
	per := 1
	for _, v := range sh[1:] {
		per *= v
	}
	ok := len(sh) == 2 && sh[1] == 784 || len(sh) == 3 && sh[1] == 28 && sh[2] == 28 ||
		len(sh) == 4 && sh[1] == 1 && sh[2] == 28 && sh[3] == 28
	if !ok || per != 784 {
		return nil, fmt.Errorf("quality: images must be [N, 1, 28, 28] or [N, 784], got %v", sh)
	}
	x = tensor.To(x.Detach(), tensor.Float32)
	for i, v := range x.Float32s() {
		if !(v >= -1e-6 && v <= 1+1e-6) {
			hint := ""
			if v >= -1 && v < 0 {
				hint = "; tanh outputs in [-1, 1] must be mapped by (x+1)/2"
			}
			return nil, fmt.Errorf("quality: pixel %d of image %d is %v, outside [0, 1]%s", i%784, i/784, v, hint)
		}
	}
	return tensor.Reshape(x, sh[0], 1, 28, 28), nil
}

// run returns the features (N×d, float64), the class probabilities (N×10)
// and d, in evaluation mode, in batches.
func (s *Scorer) run(x *tensor.Tensor) (feats, probs []float64, d int, err error) {
	n := x.Dim(0)
	s.net.SetTraining(false)
	defer s.net.SetTraining(true)
	const batch = 500
	tensor.NoGrad(func() {
		for i := 0; i < n && err == nil; i += batch {
			xb := tensor.Slice(x, 0, i, min(i+batch, n))
			f := s.features.Forward(xb)
			f = tensor.Reshape(f, xb.Dim(0), f.Len()/xb.Dim(0))
			logits := s.head.Forward(f)
			if logits.Dim(logits.NDim()-1) != Classes || logits.Len() != xb.Dim(0)*Classes {
				err = fmt.Errorf("quality: the classifier gives %v outputs, not %d logits per image", logits.Shape(), Classes)
				return
			}
			d = f.Dim(1)
			feats = append(feats, tensor.To(f, tensor.Float64).Float64s()...)
			probs = append(probs, softmaxRows(tensor.To(logits, tensor.Float64).Float64s(), Classes)...)
		}
	})
	if err != nil {
		return nil, nil, 0, err
	}
	for _, v := range feats {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, nil, 0, errors.New("quality: the classifier's features are not finite")
		}
	}
	return feats, probs, d, nil
}
