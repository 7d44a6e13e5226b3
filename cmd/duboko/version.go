package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/duboko/duboko/internal/kernel"
)

// printVersion writes the build (module version and VCS revision when the
// binary carries them), the Go toolchain, and the CPU with the kernel path
// in use (DUBOKO_CPU=avx2 or generic lowers it), so that a reported number
// or bug names the code path that produced it.
func printVersion(w io.Writer) {
	version, rev := "(devel)", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				rev = " " + s.Value[:12]
			}
			if s.Key == "vcs.modified" && s.Value == "true" {
				rev += "+modified"
			}
		}
	}
	fmt.Fprintf(w, "duboko %s%s (%s, %s/%s)\n", version, rev, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(w, "cpu: %s\n", kernel.CPUSummary())
}
