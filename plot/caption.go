package plot

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// PredictionCaption describes a classified image in two lines: the true
// label, then the k most probable classes with their probabilities, for
// example "true 7" and "2:.61  7:.30  1:.05".
func PredictionCaption(label int, probs []float32, k int) string {
	idx := make([]int, len(probs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return probs[idx[a]] > probs[idx[b]] })
	k = max(0, min(k, len(idx)))
	parts := make([]string, k)
	for i, c := range idx[:k] {
		parts[i] = fmt.Sprintf("%d:%s", c, formatProb(float64(probs[c])))
	}
	return fmt.Sprintf("true %d\n%s", label, strings.Join(parts, "  "))
}

// formatProb writes p in [0, 1] with two decimals and no leading zero.
func formatProb(p float64) string {
	if math.IsNaN(p) {
		return "NaN"
	}
	s := fmt.Sprintf("%.2f", p)
	return strings.TrimPrefix(s, "0")
}
