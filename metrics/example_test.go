package metrics_test

import (
	"fmt"

	"github.com/duboko/duboko/metrics"
)

func ExampleConfusion() {
	c := metrics.NewConfusion(2)
	c.AddAll([]int{0, 0, 1, 1, 1}, []int{0, 1, 1, 1, 0})
	fmt.Printf("accuracy %.2f, precision(1) %.2f, recall(1) %.2f\n", c.Accuracy(), c.Precision(1), c.Recall(1))
	// Output: accuracy 0.60, precision(1) 0.67, recall(1) 0.67
}

func ExampleAveragePrecision() {
	fmt.Printf("%.5f\n", metrics.AveragePrecision([]int{0, 0, 1, 0, 1, 1}))
	// Output: 0.91667
}
