package main

import "testing"

func TestBlobsReaches95Percent(t *testing.T) {
	acc, err := run(config{classes: 2, perComponent: 200, hidden: 16, epochs: 30, batch: 32, lr: 0.1, seed: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if acc < 0.95 {
		t.Fatalf("training accuracy %.4f < 0.95", acc)
	}
}

func TestGaussianMixture(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		acc, err := run(config{components: 4, classes: 2, perComponent: 100, hidden: 32, epochs: 150, batch: 32, lr: 0.05, seed: seed}, nil)
		if err != nil {
			t.Fatal(err)
		}
		// a mixture's classes overlap, so 100% is out of reach; 90% shows learning
		if acc < 0.90 {
			t.Errorf("seed %d: GMM training accuracy %.4f < 0.90", seed, acc)
		}
	}
}
