package generative

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/tensor"
	"github.com/duboko/duboko/train"
)

// Sampler draws images from a trained generative model.
type Sampler interface {
	// Sample returns n images [n, 1, 28, 28] with values in [0, 1] (for
	// models with Bernoulli pixels, their means), drawn with rng.
	Sample(n int, rng *rand.Rand) (*tensor.Tensor, error)
	// Describe says in a line how the samples are drawn.
	Describe() string
}

// SamplerOptions are the settings a SamplerLoader may use.
type SamplerOptions struct {
	// GibbsSteps is the length of the Gibbs chains of Markov-chain
	// samplers such as the RBM's (0: 1000).
	GibbsSteps int
	// RawGenerator makes a DCGAN sampler use the trained generator even
	// when the checkpoint holds an average of its weights (which it uses
	// otherwise).
	RawGenerator bool
	// StoredStats makes a DCGAN sampler of a weight average keep the
	// BatchNorm statistics stored in the checkpoint instead of computing
	// standing statistics (see [StandingStats]); for comparisons.
	StoredStats bool
}

// SamplerLoader builds the model that the checkpoint at path holds, from
// its metadata meta (its "model" entry and the model's sizes, as the
// training job wrote them), loads the weights and returns a Sampler.
type SamplerLoader func(path string, meta map[string]string, opt SamplerOptions) (Sampler, error)

var (
	samplersMu sync.RWMutex
	samplers   = map[string]SamplerLoader{}
)

// RegisterSampler makes LoadSampler use load for checkpoints whose "model"
// metadata is model. It panics if model is registered twice. The VAE
// ("vae"), the RBM ("rbm") and the DCGAN ("dcgan") register themselves; a new generative job
// registers its model in an init function.
func RegisterSampler(model string, load SamplerLoader) {
	samplersMu.Lock()
	defer samplersMu.Unlock()
	if _, dup := samplers[model]; dup {
		panic(fmt.Sprintf("generative: sampler for model %q registered twice", model))
	}
	samplers[model] = load
}

// SamplerModels returns the models with a registered sampler, sorted.
func SamplerModels() []string {
	samplersMu.RLock()
	defer samplersMu.RUnlock()
	var names []string
	for n := range samplers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// LoadSampler returns a Sampler over the generative checkpoint at path,
// choosing the loader by the checkpoint's "model" metadata. A file that is
// no safetensors file, a checkpoint that names no model, a classifier's
// checkpoint and an unknown model are each refused with one line.
func LoadSampler(path string, opt SamplerOptions) (Sampler, error) {
	meta, err := train.ReadMetadata(path)
	if err != nil {
		return nil, err
	}
	name := meta["model"]
	samplersMu.RLock()
	load, ok := samplers[name]
	samplersMu.RUnlock()
	if ok {
		return load(path, meta, opt)
	}
	known := strings.Join(SamplerModels(), ", ")
	switch {
	case name == "":
		return nil, fmt.Errorf("%s names no model in its metadata: not a checkpoint of 'duboko train' (samples come from %s)", path, known)
	case models.Known(name):
		return nil, fmt.Errorf("%s is a checkpoint of the classifier %q, which draws no samples (samples come from %s)", path, name, known)
	}
	return nil, fmt.Errorf("%s is a checkpoint of model %q, which has no sampler (samples come from %s)", path, name, known)
}

// metaInt reads a positive size of at most max from the checkpoint's
// metadata.
func metaInt(path string, meta map[string]string, key string, max int) (int, error) {
	s, ok := meta[key]
	if !ok {
		return 0, fmt.Errorf("%s: the metadata has no %q", path, key)
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 || v > max {
		return 0, fmt.Errorf("%s: metadata %s %q is not a size in 1..%d", path, key, s, max)
	}
	return v, nil
}

func init() {
	RegisterSampler("vae", loadVAESampler)
	RegisterSampler("rbm", loadRBMSampler)
}

// vaeSampler decodes z ~ N(0, I).
type vaeSampler struct{ v *models.VAE }

func loadVAESampler(path string, meta map[string]string, _ SamplerOptions) (Sampler, error) {
	latent, err := metaInt(path, meta, "latent", 10000)
	if err != nil {
		return nil, err
	}
	v := models.NewVAE(tensor.NewRand(1), latent)
	if _, err := train.LoadCheckpoint(path, v); err != nil {
		return nil, err
	}
	v.SetTraining(false)
	return vaeSampler{v}, nil
}

func (s vaeSampler) Sample(n int, rng *rand.Rand) (*tensor.Tensor, error) {
	var x *tensor.Tensor
	tensor.NoGrad(func() { x = tensor.Sigmoid(s.v.Decode(tensor.RandN(rng, n, s.v.Latent))) })
	return tensor.Reshape(x, n, 1, 28, 28), nil
}

func (s vaeSampler) Describe() string {
	return fmt.Sprintf("VAE (latent %d): σ(dec(z)), z ~ N(0, I)", s.v.Latent)
}

// rbmSampler runs Gibbs chains.
type rbmSampler struct {
	r     *models.RBM
	chain *tensor.Tensor // the persistent chain's hidden states, or nil
	steps int
}

func loadRBMSampler(path string, meta map[string]string, opt SamplerOptions) (Sampler, error) {
	hidden, err := metaInt(path, meta, "hidden", 100000)
	if err != nil {
		return nil, err
	}
	r := models.NewRBM(tensor.NewRand(1), 784, hidden)
	st, err := loadRBMState(path, r)
	if err != nil {
		return nil, err
	}
	steps := opt.GibbsSteps
	if steps == 0 {
		steps = 1000
	}
	if steps < 1 {
		return nil, fmt.Errorf("rbm: %d Gibbs steps", steps)
	}
	s := &rbmSampler{r: r, steps: steps}
	if st != nil && st.started() {
		s.chain = st.Chain
	}
	return s, nil
}

// Sample starts n chains from the persistent chain of the checkpoint where
// it has one (row by row; the rest from binary noise) and runs the Gibbs
// steps; the images are p(v|h) of the last step.
func (s *rbmSampler) Sample(n int, rng *rand.Rand) (*tensor.Tensor, error) {
	v := tensor.Zeros(n, 784)
	for i := 0; i < v.Len(); i++ {
		if rng.Float64() < 0.5 {
			v.SetFlat(i, 1)
		}
	}
	if s.chain != nil {
		var from *tensor.Tensor
		rows := min(n, s.chain.Dim(0))
		tensor.NoGrad(func() {
			p := s.r.VisibleProbs(tensor.Slice(s.chain, 0, 0, rows))
			from = models.Bernoulli(p, tensor.RandU(rng, 0, 1, p.Shape()...))
		})
		copy(v.Float32s(), tensor.To(from, tensor.Float32).Float32s())
	}
	return tensor.Reshape(s.r.Gibbs(v, s.steps, rng), n, 1, 28, 28), nil
}

func (s *rbmSampler) Describe() string {
	from := "binary noise"
	if s.chain != nil {
		from = "the checkpoint's persistent chain"
	}
	return fmt.Sprintf("RBM (784-%d): p(v|h) after %d Gibbs steps from %s", s.r.Hidden(), s.steps, from)
}
