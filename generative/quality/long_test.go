//go:build long

package quality

import (
	"context"
	"os"
	"testing"

	"github.com/duboko/duboko/data/mnist"
)

// TestDefaultRecipeScoresTestSet trains the default classifier (minutes on
// two cores) in a temporary cache and checks the recipe's promise and the
// scale of the scores:
//
//	go test -tags long -run TestDefaultRecipeScoresTestSet -timeout 30m -v ./generative/quality
func TestDefaultRecipeScoresTestSet(t *testing.T) {
	s, err := New(context.Background(), Options{CacheDir: t.TempDir(), Log: os.Stdout})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("test accuracy %.4f, IS of the test set %.4f", s.RefAccuracy, s.RefInceptionScore)
	if s.RefAccuracy < 0.98 {
		t.Errorf("test accuracy %.4f < 0.98", s.RefAccuracy)
	}
	if s.RefInceptionScore <= 9 {
		t.Errorf("the MNIST test set scores IS %.4f, want > 9", s.RefInceptionScore)
	}
	_, _ = trainSetFirst(t, s, 10000)
}

// trainSetFirst scores the first n training images: real digits not in the
// reference, so IS near the test set's and a small Fréchet distance.
func trainSetFirst(t *testing.T, s *Scorer, n int) (float64, float64) {
	trainSet, _, err := mnist.Load()
	if err != nil {
		t.Fatal(err)
	}
	sc, err := s.Score(images(trainSet, 0, n))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first %d training images: IS %.4f, FD %.4f", n, sc.InceptionScore, sc.FrechetDistance)
	if sc.InceptionScore <= 9 {
		t.Errorf("training images score IS %.4f, want > 9", sc.InceptionScore)
	}
	return sc.InceptionScore, sc.FrechetDistance
}
