//go:build !purego

package kernel

import (
	"encoding/binary"
	"testing"
)

// fakeCPU is a table of CPUID answers, keyed by leaf and sub-leaf; leaves
// it does not hold answer zeros, as a real CPU does past its maximum leaf.
type fakeCPU map[[2]uint32][4]uint32

func (f fakeCPU) cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32) {
	r := f[[2]uint32{leaf, sub}]
	return r[0], r[1], r[2], r[3]
}

// newFakeCPU returns a table with the vendor ("GenuineIntel" or
// "AuthenticAMD"), the maximum basic and extended leaves, the brand string
// (leaves 0x80000002–4, when maxExt reaches them) and the family and model
// fields of leaf 1.
func newFakeCPU(vendor string, maxLeaf, maxExt uint32, brand string, family, model, extFamily, extModel uint32) fakeCPU {
	v := []byte(vendor)
	le := binary.LittleEndian.Uint32
	f := fakeCPU{
		{0, 0}:          {maxLeaf, le(v[0:4]), le(v[8:12]), le(v[4:8])},
		{1, 0}:          {extFamily<<20 | extModel<<16 | family<<8 | model<<4},
		{0x80000000, 0}: {maxExt},
	}
	b := make([]byte, 48)
	copy(b, brand)
	for i := range uint32(3) {
		if 0x80000002+i <= maxExt {
			w := b[16*i:]
			f[[2]uint32{0x80000002 + i, 0}] = [4]uint32{le(w[0:]), le(w[4:]), le(w[8:]), le(w[12:])}
		}
	}
	return f
}

// cacheLeaf returns a deterministic cache parameters entry (leaf 4 or
// 0x8000001D): type (1 data, 2 instruction, 3 unified), level, the number
// of logical processors sharing it, ways, partitions, line size and sets.
func cacheLeaf(typ, level, sharing, ways, parts, line, sets uint32) [4]uint32 {
	return [4]uint32{typ | level<<5 | (sharing-1)<<14, (ways-1)<<22 | (parts-1)<<12 | (line - 1), sets - 1, 0}
}

// TestCPUIDTables runs cpuModelFrom, detectCachesFrom and isAMDFrom on
// CPUID tables of the kinds of CPU the decoding distinguishes, each
// limit at its boundary: an Intel CPU with leaf 4, one whose maximum leaf
// is 4 and one below it, more than 16 cache sub-leaves, an AMD CPU with leaf
// 0x8000001D at its maximum extended leaf, one with only the legacy leaves
// (0x80000006 its maximum), legacy leaves that report nothing, and brand
// strings at and below leaf 0x80000004.
func TestCPUIDTables(t *testing.T) {
	const K, M = 1 << 10, 1 << 20
	intel := newFakeCPU("GenuineIntel", 0x16, 0x80000008, "  Intel(R) Xeon(R)   Gold 6338 CPU @ 2.00GHz", 6, 0xA, 0, 6)
	intel[[2]uint32{4, 0}] = cacheLeaf(1, 1, 2, 12, 1, 64, 64)            // L1d 48 KiB
	intel[[2]uint32{4, 1}] = cacheLeaf(2, 1, 2, 8, 1, 64, 64)             // L1i: not a data cache
	intel[[2]uint32{4, 2}] = cacheLeaf(3, 2, 2, 20, 2, 64, 512)           // L2 1.25 MiB in two partitions
	intel[[2]uint32{4, 3}] = cacheLeaf(3, 3, 32, 12, 1, 64, 65536)        // L3 48 MiB over 32
	intel[[2]uint32{4, 5}] = cacheLeaf(1, 1, 1, 1, 1, 64, 1)              // past the end (sub-leaf 4 is type 0)
	four := newFakeCPU("GenuineIntel", 4, 0x80000004, "Four", 6, 5, 0, 0) // maximum leaf exactly 4
	four[[2]uint32{4, 0}] = cacheLeaf(3, 2, 1, 16, 1, 64, 2048)           // L2 2 MiB
	three := newFakeCPU("GenuineIntel", 3, 0x80000003, "Three", 6, 5, 0, 0)
	three[[2]uint32{4, 0}] = cacheLeaf(3, 2, 1, 16, 1, 64, 2048) // not read: leaf 4 is past the maximum
	many := newFakeCPU("GenuineIntel", 0x16, 0x80000008, "Many", 5, 4, 0, 1)
	for sub := range uint32(17) { // 17 L1d entries of 1, 2, … 17 sets: the 17th is not read
		many[[2]uint32{4, sub}] = cacheLeaf(1, 1, 1, 1, 1, 64, sub+1)
	}
	zen := newFakeCPU("AuthenticAMD", 0x10, 0x8000001D, "AMD EPYC 9654 96-Core Processor", 0xF, 1, 0xA, 1)
	zen[[2]uint32{0x8000001D, 0}] = cacheLeaf(1, 1, 2, 8, 1, 64, 64)      // L1d 32 KiB
	zen[[2]uint32{0x8000001D, 1}] = cacheLeaf(3, 2, 2, 8, 1, 64, 2048)    // L2 1 MiB
	zen[[2]uint32{0x8000001D, 2}] = cacheLeaf(3, 3, 16, 16, 1, 64, 32768) // L3 32 MiB over 16
	zen[[2]uint32{0x80000005, 0}] = [4]uint32{0, 0, 64 << 24, 0}          // legacy leaves: not read
	zen[[2]uint32{0x80000006, 0}] = [4]uint32{0, 0, 512 << 16, 8 << 18}
	legacy := newFakeCPU("AuthenticAMD", 0x10, 0x80000006, "AMD Legacy", 0xF, 2, 0xB, 0)
	legacy[[2]uint32{0x80000005, 0}] = [4]uint32{0, 0, 48 << 24, 0}           // L1d 48 KiB
	legacy[[2]uint32{0x80000006, 0}] = [4]uint32{0, 0, 2048 << 16, 64 << 18}  // L2 2 MiB, L3 32 MiB
	legacy[[2]uint32{4, 0}] = [4]uint32{}                                     // AMD answers leaf 4 with zeros
	empty := newFakeCPU("AuthenticAMD", 0x10, 0x80000006, "", 0xF, 2, 0xB, 0) // legacy leaves of zeros
	for _, c := range []struct {
		name   string
		cpu    fakeCPU
		model  string
		caches cacheSizes
		amd    bool
	}{
		{"Intel, leaf 4", intel, "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz (family 6 model 106)", cacheSizes{48 * K, 1280 * K, 48 * M / 32}, false},
		{"maximum leaf 4", four, "Four (family 6 model 5)", cacheSizes{defaultCaches.l1, 2 * M, defaultCaches.l3}, false},
		{"maximum leaf 3", three, "unknown x86-64 CPU (family 6 model 5)", defaultCaches, false},
		{"17 cache sub-leaves, family 5", many, "Many (family 5 model 4)", cacheSizes{16 * 64, defaultCaches.l2, defaultCaches.l3}, false},
		{"AMD, leaf 0x8000001D", zen, "AMD EPYC 9654 96-Core Processor (family 25 model 17)", cacheSizes{32 * K, M, 2 * M}, true},
		{"AMD, legacy leaves", legacy, "AMD Legacy (family 26 model 2)", cacheSizes{48 * K, 2 * M, 32 * M}, true},
		{"AMD, legacy leaves of zeros", empty, "unknown x86-64 CPU (family 26 model 2)", defaultCaches, true},
	} {
		if got := cpuModelFrom(c.cpu.cpuid); got != c.model {
			t.Errorf("%s: cpuModel %q, want %q", c.name, got, c.model)
		}
		if got := detectCachesFrom(c.cpu.cpuid); got != c.caches {
			t.Errorf("%s: caches %+v, want %+v", c.name, got, c.caches)
		}
		if got := isAMDFrom(c.cpu.cpuid); got != c.amd {
			t.Errorf("%s: isAMD %v, want %v", c.name, got, c.amd)
		}
	}
}
