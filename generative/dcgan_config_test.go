package generative

import (
	"fmt"
	"strings"
	"testing"
)

// TestDCGANConfigChecks: a layout that cannot be built panics naming what
// is wrong, and String names the extra blocks of both players.
func TestDCGANConfigChecks(t *testing.T) {
	for _, c := range []struct {
		cfg  DCGANConfig
		want string
	}{
		{DCGANConfig{Size: 48}, "image size 48, want 28, 32 or 64"},
		{DCGANConfig{Size: 32, GExtra: 1}, "1 extra generator and 0 extra discriminator blocks at the 32×32 layout"},
		{DCGANConfig{Width: -1}, "width -1"},
		{DCGANConfig{GExtra: -1}, "extra blocks -1 and 0"},
		{DCGANConfig{DExtra: -2}, "extra blocks 0 and -2"},
		{DCGANConfig{Size: 64, GExtra: 1}, "1 extra generator and 0 extra discriminator blocks at the 64×64 layout"},
		{DCGANConfig{Size: 64, DExtra: 1}, "0 extra generator and 1 extra discriminator blocks at the 64×64 layout"},
	} {
		msg := func() (msg string) {
			defer func() { msg = fmt.Sprint(recover()) }()
			c.cfg.normalize()
			return ""
		}()
		if !strings.Contains(msg, c.want) {
			t.Errorf("%+v: panic %q, want it to contain %q", c.cfg, msg, c.want)
		}
	}
	want := "dcgan 28×28 (z 100, width 32, 1 extra generator block(s) at 7×7, 2 extra discriminator block(s) at 7×7)"
	if got := (DCGANConfig{GExtra: 1, DExtra: 2}).String(); got != want {
		t.Errorf("String %q, want %q", got, want)
	}
}
