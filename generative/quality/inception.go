package quality

import (
	"fmt"
	"math"
)

// InceptionScore returns exp(E_x[KL(p(y|x) ‖ p(y))]) for the class
// probabilities p, n rows of classes values each (row i is p(y|xᵢ)), where
// p(y) is the mean of the rows. It lies between 1 (every image gets the
// same prediction) and classes (every image is classified with certainty
// and the classes are used equally often). Terms with p(y|x) = 0 count as
// 0, as 0·log 0 does. It returns an error for an empty or ragged p or for
// a row that is not a probability vector (negative or non-finite values,
// or a sum off 1 by more than 1e-3).
func InceptionScore(p []float64, classes int) (float64, error) {
	if classes < 1 || len(p) == 0 || len(p)%classes != 0 {
		return 0, fmt.Errorf("quality: InceptionScore needs n×%d probabilities, got %d values", classes, len(p))
	}
	n := len(p) / classes
	marg := make([]float64, classes)
	for i := 0; i < n; i++ {
		row := p[i*classes : (i+1)*classes]
		sum := 0.0
		for _, v := range row {
			if !(v >= 0) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("quality: InceptionScore: row %d holds %v, not a probability", i, v)
			}
			sum += v
		}
		if math.Abs(sum-1) > 1e-3 {
			return 0, fmt.Errorf("quality: InceptionScore: row %d sums to %v, not 1", i, sum)
		}
		for c, v := range row {
			marg[c] += v
		}
	}
	for c := range marg {
		marg[c] /= float64(n)
	}
	kl := 0.0
	for i := 0; i < n; i++ {
		for c, v := range p[i*classes : (i+1)*classes] {
			if v > 0 {
				kl += v * (math.Log(v) - math.Log(marg[c]))
			}
		}
	}
	return math.Exp(kl / float64(n)), nil
}

// softmaxRows returns the softmax of each row of the n×classes logits, in
// float64 with the maximum subtracted first.
func softmaxRows(logits []float64, classes int) []float64 {
	out := make([]float64, len(logits))
	for i := 0; i < len(logits); i += classes {
		row := logits[i : i+classes]
		mx := math.Inf(-1)
		for _, v := range row {
			mx = math.Max(mx, v)
		}
		s := 0.0
		for c, v := range row {
			e := math.Exp(v - mx)
			out[i+c] = e
			s += e
		}
		for c := range row {
			out[i+c] /= s
		}
	}
	return out
}
