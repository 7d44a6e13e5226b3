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

// TestSSTDefaultReaches74 trains the default sentiment configuration (the
// GRU, embeddings learnt from scratch, the job's default epochs and rate)
// on the embedded SST and checks issue 11's target of 74 % test accuracy.
// It takes minutes, so it runs only with
//
//	go test -tags long -run TestSSTDefaultReaches74 -timeout 60m ./cmd/duboko
func TestSSTDefaultReaches74(t *testing.T) {
	c := defaultSST()
	c.OutDir, c.Log = "", os.Stdout
	res, err := runSST(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	acc := res.Test.Get("accuracy")
	t.Logf("test accuracy %.4f after %v", acc, res.Elapsed)
	if acc < 0.74 {
		t.Fatalf("test accuracy %.4f < 0.74", acc)
	}
}
