// Command classes breaks a samples file's classifier Inception Score into
// its two terms, as the MNIST classifier of package generative/quality
// sees the samples: the class histogram p(y) (the mean of p(y|x)) with its
// entropy H(y), which is at most ln 10 for balanced classes, and the mean
// per-sample entropy E[H(y|x)] (0 for samples classified with certainty),
// with IS = exp(H(y) − E[H(y|x)]); the mean of max_y p(y|x) and the share
// of samples whose max_y p(y|x) reaches 0.5, 0.9, 0.99 and 0.999. It tells
// whether a low score comes from unbalanced classes or from ambiguous
// digits.
//
//	go run ./bench/dcgan/classes --samples go_samples.safetensors
package main

import (
	"flag"
	"fmt"
	"math"
	"os"

	"github.com/duboko/duboko/generative/quality"
	"github.com/duboko/duboko/tensor"
)

func main() {
	samples := flag.String("samples", "", "safetensors samples file, as 'duboko score' reads it")
	clf := flag.String("classifier", "", "classifier checkpoint (default: the cached CNN of generative/quality, which must exist: run 'duboko score' once)")
	flag.Parse()
	if err := run(*samples, *clf); err != nil {
		fmt.Fprintln(os.Stderr, "classes:", err)
		os.Exit(1)
	}
}

func run(samples, clf string) error {
	if clf == "" {
		var err error
		if clf, err = quality.DefaultRecipe.CacheFile(""); err != nil {
			return err
		}
	}
	net, err := quality.LoadClassifier(clf)
	if err != nil {
		return err
	}
	x, err := quality.ReadSamples(samples)
	if err != nil {
		return err
	}
	n := x.Dim(0)
	x = tensor.Reshape(x, n, 1, 28, 28)
	net.SetTraining(false)
	var py [10]float64
	var hyx, maxp float64
	// How the confidence is spread: the share of samples whose max p(y|x)
	// reaches each level, which tells a few garbage samples among sharp
	// ones from uniformly soft digits.
	levels := []float64{0.5, 0.9, 0.99, 0.999}
	above := make([]float64, len(levels))
	tensor.NoGrad(func() {
		for i := 0; i < n; i += 500 {
			logits := tensor.To(net.Forward(tensor.Slice(x, 0, i, min(i+500, n))), tensor.Float64).Float64s()
			for r := 0; r < len(logits)/10; r++ {
				p := softmax(logits[10*r : 10*r+10])
				best := 0.0
				for j, v := range p {
					py[j] += v / float64(n)
					if v > 0 {
						hyx -= v * math.Log(v) / float64(n)
					}
					best = math.Max(best, v)
				}
				maxp += best / float64(n)
				for k, lv := range levels {
					if best >= lv {
						above[k] += 1 / float64(n)
					}
				}
			}
		}
	})
	hy := 0.0
	for _, v := range py {
		if v > 0 {
			hy -= v * math.Log(v)
		}
	}
	fmt.Printf("%d samples of %s\np(y) by digit 0-9: %.3f\nH(y) %.3f (ln 10 = %.3f)  E[H(y|x)] %.3f  mean max p(y|x) %.3f  IS = exp(H(y) − E[H(y|x)]) %.3f\n",
		n, samples, py, hy, math.Log(10), hyx, maxp, math.Exp(hy-hyx))
	for k, lv := range levels {
		fmt.Printf("max p(y|x) ≥ %g: %.1f %% of the samples\n", lv, 100*above[k])
	}
	return nil
}

// softmax returns the probabilities of one row of logits.
func softmax(l []float64) []float64 {
	m := l[0]
	for _, v := range l {
		m = math.Max(m, v)
	}
	p := make([]float64, len(l))
	s := 0.0
	for j, v := range l {
		p[j] = math.Exp(v - m)
		s += p[j]
	}
	for j := range p {
		p[j] /= s
	}
	return p
}
