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

// TestDetectCachesAMDLegacy checks the cache sizes on an AMD CPU whose
// hypervisor hides leaf 0x8000001D (as on the machine these tests were
// written on) against AMD's legacy leaves, decoded here as the manual
// gives them: L1d in KiB in ECX[31:24] of 0x80000005, L2 in KiB in
// ECX[31:16] of 0x80000006, L3 in units of 512 KiB in EDX[31:18]. On
// other CPUs it is skipped.
func TestDetectCachesAMDLegacy(t *testing.T) {
	// the vendor string of leaf 0: EBX, EDX, ECX
	_, b, c, d := cpuid(0, 0)
	vendor := string(binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, b), d), c))
	amd := vendor == "AuthenticAMD"
	if isAMD() != amd {
		t.Errorf("isAMD() = %v for vendor %q", isAMD(), vendor)
	}
	maxExt, _, _, _ := cpuid(0x80000000, 0)
	if !amd || maxExt < 0x80000006 {
		t.Skip("not an AMD CPU with the legacy cache leaves")
	}
	if maxExt >= 0x8000001D {
		if eax, _, _, _ := cpuid(0x8000001D, 0); eax&0x1f != 0 {
			t.Skip("leaf 0x8000001D describes the caches")
		}
	}
	_, _, ecx5, _ := cpuid(0x80000005, 0)
	_, _, ecx6, edx6 := cpuid(0x80000006, 0)
	want := defaultCaches
	if v := ecx5 >> 24; v != 0 {
		want.l1 = int(v) * 1024
	}
	if v := ecx6 >> 16; v != 0 {
		want.l2 = int(v) * 1024
	}
	if v := edx6 >> 18; v != 0 {
		want.l3 = int(v) * 512 * 1024
	}
	if got := detectCaches(); got != want {
		t.Errorf("detectCaches() = %+v, want %+v (legacy leaves ECX %#x, ECX %#x, EDX %#x)", got, want, ecx5, ecx6, edx6)
	}
	if cpuCaches != want {
		t.Errorf("cpuCaches = %+v, want %+v", cpuCaches, want)
	}
}
