//go:build long

package main

import (
	"context"
	"os"
	"testing"
)

// TestDefaultRunReaches99 trains the default configuration (the course's
// CNN, 8 epochs, batch 50, step schedule) on the embedded MNIST and checks
// the course's target. It takes several minutes, so it runs only with
//
//	go test -tags long -run TestDefaultRunReaches99 -timeout 30m ./cmd/duboko
func TestDefaultRunReaches99(t *testing.T) {
	c := defaultMNIST()
	c.OutDir, c.Log = "", os.Stdout
	res, err := runMNIST(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("test accuracy %.4f after %v", res.Test.Accuracy, res.Elapsed)
	if res.Test.Accuracy < 0.99 {
		t.Fatalf("test accuracy %.4f < 0.99", res.Test.Accuracy)
	}
}
