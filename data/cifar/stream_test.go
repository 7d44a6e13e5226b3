package cifar

import (
	"fmt"
	"testing"
)

// TestAugmentationStreamPinned: Seed promises reproducible runs, so the
// crops and flips a seed draws are part of the package's behaviour: the
// first draws of two images for seed 42 are pinned here. A change to the
// hash, to the draw counter or to the direction of the shift changes every
// seeded training run and must be deliberate (update the table then).
func TestAugmentationStreamPinned(t *testing.T) {
	c := coords()
	two := setOf(append([]byte{1}, c.Pixels...), append([]byte{2}, c.Pixels...))
	v := two.With(RandomCrop(4), HorizontalFlip(), Seed(42))
	want := [2]string{
		"(3 -1 false)(-2 -3 true)(-1 -3 true)(-2 0 false)(-3 -1 false)(3 0 false)",
		"(1 3 true)(-4 0 true)(0 2 false)(2 1 true)(-1 -1 false)(4 -2 true)",
	}
	for i := range 2 {
		got := ""
		for range 6 {
			dy, dx, flip := decode(t, v.Image(i), 4)
			got += fmt.Sprintf("(%d %d %v)", dy, dx, flip)
		}
		if got != want[i] {
			t.Errorf("image %d, seed 42: draws %s, want %s", i, got, want[i])
		}
	}
}

// TestRandomCropWholeWidth: a pad of 32, the image's width, is accepted (the
// window can then hold as little as one pixel of the image).
func TestRandomCropWholeWidth(t *testing.T) {
	v := coords().With(RandomCrop(Width), Seed(5))
	for range 20 {
		x := v.Image(0)
		if len(x) != ImageBytes {
			t.Fatalf("image of %d values", len(x))
		}
	}
}
