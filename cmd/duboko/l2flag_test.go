package main

import (
	"encoding/json"
	"path/filepath"
	"testing"
)

// TestTrainL2 trains the MLP for one epoch on 500 images with and without
// --l2 from the same seed: the flag must reach the training, so the test
// losses differ.
func TestTrainL2(t *testing.T) {
	dir := t.TempDir()
	loss := map[string]float64{}
	for _, l2 := range []string{"0", "0.05"} {
		metrics := filepath.Join(dir, "m"+l2+".jsonl")
		code, _, stderr := duboko("train", "--model", "mlp", "--epochs", "1", "--max-train", "500", "--val", "100",
			"--lr", "0.1", "--l2", l2, "--out", "", "--metrics", metrics)
		if code != 0 {
			t.Fatalf("--l2 %s: %s", l2, stderr)
		}
		lines := readLines(t, metrics)
		var final struct {
			TestLoss float64 `json:"test_loss"`
		}
		if err := json.Unmarshal([]byte(lines[len(lines)-1]), &final); err != nil {
			t.Fatal(err)
		}
		loss[l2] = final.TestLoss
	}
	if loss["0"] == loss["0.05"] {
		t.Errorf("test loss %v with and without --l2: the flag has no effect", loss["0"])
	}
}
