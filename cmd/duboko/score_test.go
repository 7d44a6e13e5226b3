package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duboko/duboko/data/mnist"
	"github.com/duboko/duboko/generative/quality"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// tinyClassifier writes into dir a checkpoint of the MLP trained for one
// epoch on 2,000 images (about 85 % test accuracy): enough to exercise
// scoring.
func tinyClassifier(t *testing.T, dir string) string {
	t.Helper()
	trainSet, _, err := mnist.Load()
	if err != nil {
		t.Fatal(err)
	}
	r := quality.Recipe{Model: "mlp", Epochs: 1, Batch: 50, LR: 1e-3, Seed: 1, MaxTrain: 2000}
	net, err := quality.TrainClassifier(context.Background(), r, trainSet, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "tiny-mlp.safetensors")
	if err := nn.Save(path, net, map[string]string{"model": "mlp"}); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeDigits writes n training images as a samples file.
func writeDigits(t *testing.T, path string, n int) {
	t.Helper()
	trainSet, _, err := mnist.Load()
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float32, n*784)
	for i := 0; i < n; i++ {
		trainSet.Sample(i, x[i*784:(i+1)*784])
	}
	if err := quality.WriteSamples(path, tensor.FromFloat32(x, n, 784)); err != nil {
		t.Fatal(err)
	}
}

func TestScoreCommand(t *testing.T) {
	dir := t.TempDir()
	ck := tinyClassifier(t, dir)
	samples := filepath.Join(dir, "samples.safetensors")
	writeDigits(t, samples, 500)
	code, stdout, stderr := duboko("score", "--samples", samples, "--classifier", ck)
	if code != 0 || !strings.Contains(stdout, "500 samples from") || !strings.Contains(stdout, "inception score: ") ||
		!strings.Contains(stdout, "frechet distance: ") {
		t.Fatalf("score: %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, stderr = duboko("score", "--samples", samples, "--classifier", ck, "--json")
	var got struct {
		N   int     `json:"samples"`
		IS  float64 `json:"inception_score"`
		FD  float64 `json:"frechet_distance"`
		RIS float64 `json:"test_inception_score"`
		Acc float64 `json:"classifier_test_accuracy"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); code != 0 || err != nil {
		t.Fatalf("score --json: %d %v\n%s\n%s", code, err, stdout, stderr)
	}
	// real digits: a clearly informative IS, a small distance to the test
	// set (noise lies at about 200 with this classifier)
	if got.N != 500 || !(got.IS > 2 && got.IS <= 10) || !(got.FD > 0 && got.FD < 50) || !(got.Acc > 0.7) {
		t.Fatalf("scores of 500 training digits: %+v", got)
	}
	if !strings.Contains(scoreHelp, "[N, 1, 28, 28]") || !strings.Contains(scoreHelp, "save_file") {
		t.Error("the help does not document the samples format")
	}
}

func TestScoreCommandErrors(t *testing.T) {
	dir := t.TempDir()
	samples := filepath.Join(dir, "samples.safetensors")
	writeDigits(t, samples, 3)
	bad := filepath.Join(dir, "bad.safetensors")
	if err := nn.Save(bad, nn.NewLinear(tensor.NewRand(1), 3, 2), nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"score"}, 2, "--samples is required"},
		{[]string{"score", "--samples", filepath.Join(dir, "missing")}, 1, "--samples:"},
		{[]string{"score", "--samples", bad}, 1, "none named \"samples\""},
		{[]string{"score", "--samples", samples, "--classifier", samples}, 1, "names no model"},
	} {
		code, stdout, stderr := duboko(c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: status %d, stderr %q (stdout %q); want %d and one line with %q", c.args, code, stderr, stdout, c.code, c.want)
		}
	}
}
