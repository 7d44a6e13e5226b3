//go:build !purego

package kernel

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestCPUModelBrand checks the name in cpuModel against the processor
// brand string read here from the same CPUID leaves, byte by byte: the 48
// bytes of leaves 0x80000002–0x80000004 (EAX, EBX, ECX, EDX of each, little
// endian), trailing NULs dropped and runs of spaces collapsed.
func TestCPUModelBrand(t *testing.T) {
	maxExt, _, _, _ := cpuid(0x80000000, 0)
	want := "unknown x86-64 CPU"
	if maxExt >= 0x80000004 {
		var raw []byte
		for _, leaf := range []uint32{0x80000002, 0x80000003, 0x80000004} {
			a, b, c, d := cpuid(leaf, 0)
			raw = binary.LittleEndian.AppendUint32(raw, a)
			raw = binary.LittleEndian.AppendUint32(raw, b)
			raw = binary.LittleEndian.AppendUint32(raw, c)
			raw = binary.LittleEndian.AppendUint32(raw, d)
		}
		if s := strings.Join(strings.Fields(strings.TrimRight(string(raw), "\x00")), " "); s != "" {
			want = s
		}
	}
	got := cpuModel()
	if name, _, ok := strings.Cut(got, " (family "); !ok || name != want {
		t.Errorf("cpuModel() = %q, want the name %q", got, want)
	}
}

// TestCPUModelFamily checks the family and model numbers in cpuModel
// against those Linux reports in /proc/cpuinfo (skipped elsewhere).
func TestCPUModelFamily(t *testing.T) {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	family, model := -1, -1
	sc := bufio.NewScanner(f)
	for sc.Scan() && (family < 0 || model < 0) {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(val))
		switch strings.TrimSpace(key) {
		case "cpu family":
			if err == nil && family < 0 {
				family = n
			}
		case "model":
			if err == nil && model < 0 {
				model = n
			}
		}
	}
	if family < 0 || model < 0 {
		t.Skip("/proc/cpuinfo names no cpu family and model")
	}
	want := fmt.Sprintf("(family %d model %d)", family, model)
	if got := cpuModel(); !strings.HasSuffix(got, want) {
		t.Errorf("cpuModel() = %q, want it to end in %q (/proc/cpuinfo)", got, want)
	}
}
