// Package metrics computes classification metrics: accuracy, the confusion
// matrix, per-class precision and recall, and average precision, as the
// deep learning course's lab 0 defines them.
package metrics

import (
	"fmt"
	"sort"
	"strings"
)

// Confusion is a confusion matrix: M[t][p] counts samples of true class t
// predicted as class p.
type Confusion struct {
	Classes int
	M       [][]int
}

// NewConfusion returns an empty confusion matrix for n classes.
func NewConfusion(n int) *Confusion {
	m := make([][]int, n)
	for i := range m {
		m[i] = make([]int, n)
	}
	return &Confusion{Classes: n, M: m}
}

// Add records one prediction. Labels outside [0, Classes) return an error.
func (c *Confusion) Add(truth, pred int) error {
	if truth < 0 || truth >= c.Classes || pred < 0 || pred >= c.Classes {
		return fmt.Errorf("metrics: label %d or prediction %d outside [0, %d)", truth, pred, c.Classes)
	}
	c.M[truth][pred]++
	return nil
}

// AddAll records a batch of predictions.
func (c *Confusion) AddAll(truth, pred []int) error {
	if len(truth) != len(pred) {
		return fmt.Errorf("metrics: %d labels but %d predictions", len(truth), len(pred))
	}
	for i := range truth {
		if err := c.Add(truth[i], pred[i]); err != nil {
			return err
		}
	}
	return nil
}

// Total returns the number of recorded samples.
func (c *Confusion) Total() int {
	n := 0
	for _, row := range c.M {
		for _, v := range row {
			n += v
		}
	}
	return n
}

// Accuracy returns the fraction of correct predictions (0 when empty).
func (c *Confusion) Accuracy() float64 {
	n, ok := c.Total(), 0
	for i := range c.M {
		ok += c.M[i][i]
	}
	if n == 0 {
		return 0
	}
	return float64(ok) / float64(n)
}

// Precision returns TP/(TP+FP) for class k (0 when nothing was predicted as k).
func (c *Confusion) Precision(k int) float64 {
	col := 0
	for t := range c.M {
		col += c.M[t][k]
	}
	if col == 0 {
		return 0
	}
	return float64(c.M[k][k]) / float64(col)
}

// Recall returns TP/(TP+FN) for class k (0 when class k never occurs).
func (c *Confusion) Recall(k int) float64 {
	row := 0
	for _, v := range c.M[k] {
		row += v
	}
	if row == 0 {
		return 0
	}
	return float64(c.M[k][k]) / float64(row)
}

// String formats the matrix with per-class precision and recall.
func (c *Confusion) String() string {
	var b strings.Builder
	b.WriteString("true\\pred")
	for p := 0; p < c.Classes; p++ {
		fmt.Fprintf(&b, "%6d", p)
	}
	b.WriteString("   recall\n")
	for t := 0; t < c.Classes; t++ {
		fmt.Fprintf(&b, "%9d", t)
		for p := 0; p < c.Classes; p++ {
			fmt.Fprintf(&b, "%6d", c.M[t][p])
		}
		fmt.Fprintf(&b, "   %.4f\n", c.Recall(t))
	}
	b.WriteString("precision")
	for p := 0; p < c.Classes; p++ {
		fmt.Fprintf(&b, " %.3f", c.Precision(p))
	}
	fmt.Fprintf(&b, "\naccuracy %.4f (%d samples)\n", c.Accuracy(), c.Total())
	return b.String()
}

// AveragePrecision returns the average precision of a ranking: labels are
// 0/1 relevance sorted by decreasing score (lab 0's eval_AP), i.e. the mean
// over positive positions i of the precision of the top i+1... positions
// from i on. Examples from the course: [0,0,0,1,1,1] → 1.0,
// [0,0,1,0,1,1] → 0.91667, [0,1,0,1,0,1] → 0.75556, [1,0,1,0,1,0] → 0.5.
// The labels are ranked in increasing score, as in the course.
func AveragePrecision(rankedLabels []int) float64 {
	n := len(rankedLabels)
	pos := 0
	for _, l := range rankedLabels {
		pos += l
	}
	if pos == 0 {
		return 0
	}
	sum := 0.0
	for i, l := range rankedLabels {
		if l != 1 {
			continue
		}
		// predict positive for positions i..n-1
		tp := 0
		for _, m := range rankedLabels[i:] {
			tp += m
		}
		sum += float64(tp) / float64(n-i)
	}
	return sum / float64(pos)
}

// AveragePrecisionScores ranks labels by increasing score and returns
// AveragePrecision of the ranking.
func AveragePrecisionScores(scores []float64, labels []int) float64 {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return scores[idx[a]] < scores[idx[b]] })
	ranked := make([]int, len(idx))
	for i, j := range idx {
		ranked[i] = labels[j]
	}
	return AveragePrecision(ranked)
}
