package quality_test

import (
	"context"
	"fmt"
	"os"

	"github.com/duboko/duboko/generative/quality"
	"github.com/duboko/duboko/tensor"
)

// Confident predictions spread evenly over the classes score the number
// of classes; the same prediction for every image scores 1.
func ExampleInceptionScore() {
	even := []float64{
		1, 0, 0,
		0, 1, 0,
		0, 0, 1,
	}
	same := []float64{
		0.2, 0.5, 0.3,
		0.2, 0.5, 0.3,
	}
	a, _ := quality.InceptionScore(even, 3)
	b, _ := quality.InceptionScore(same, 3)
	fmt.Printf("%.4f %.4f\n", a, b)
	// Output: 3.0000 1.0000
}

// Two Gaussians with diagonal covariances: ‖Δμ‖² + Σ(√aᵢ − √bᵢ)².
func ExampleFrechetDistance() {
	a := &quality.Gaussian{Mean: []float64{0, 0}, Cov: []float64{4, 0, 0, 1}}
	b := &quality.Gaussian{Mean: []float64{3, 4}, Cov: []float64{1, 0, 0, 9}}
	d, _ := quality.FrechetDistance(a, b)
	fmt.Printf("%.6f\n", d) // 25 + (2−1)² + (1−3)²
	// Output: 30.000000
}

// Scoring generated digits: New trains the MNIST classifier once (minutes;
// then it is cached) or loads it, and Score rates any batch of
// [N, 1, 28, 28] images in [0, 1]. (Compiled, not run: it may train.)
func ExampleScorer_Score() {
	s, err := quality.New(context.Background(), quality.Options{Log: os.Stderr})
	if err != nil {
		fmt.Println(err)
		return
	}
	samples := tensor.Zeros(100, 1, 28, 28) // a generator's output, mapped to [0, 1]
	sc, err := s.Score(samples)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("IS %.2f (test set %.2f), FD %.2f\n", sc.InceptionScore, s.RefInceptionScore, sc.FrechetDistance)
}
