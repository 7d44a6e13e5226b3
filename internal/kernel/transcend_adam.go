package kernel

// AdamConsts are the per-step constants of one float32 Adam update (see
// AdamStep32), in the order the assembly reads them.
type AdamConsts struct {
	B1, C1       float32 // β1 and 1−β1
	B2, C2       float32 // β2 and 1−β2
	StepSize     float32 // −lr/(1−β1ᵗ)
	BC2Sqrt, Eps float32 // √(1−β2ᵗ) and ε
}

// AdamStep32 applies one Adam update without weight decay or AMSGrad to
// the float32 parameters p with gradient g and moment buffers m and v
// (all of p's length), element by element:
//
//	m ← β1·m + (1−β1)·g
//	v ← β2·v + ((1−β2)·g)·g
//	p ← p + (StepSize·m) / (√v/BC2Sqrt + ε)
//
// each operation rounded to float32 in this order, with no fused
// multiply-add, so the AVX-512 and AVX2 loops give the pure-Go loop's
// results bit for bit (and optim's generic loop's). It panics if a slice
// is shorter than p.
func AdamStep32(p, g, m, v []float32, k *AdamConsts) {
	n := len(p)
	g, m, v = g[:n], m[:n], v[:n]
	w := transWidth
	body := 0
	if w > 0 {
		body = n &^ (w - 1)
		if body > 0 {
			adamVec(&p[0], &g[0], &m[0], &v[0], body, k)
		}
	}
	adamGo(p[body:], g[body:], m[body:], v[body:], k)
}

// adamGo is the pure-Go loop of AdamStep32.
func adamGo(p, g, m, v []float32, k *AdamConsts) {
	n := len(p)
	g, m, v = g[:n], m[:n], v[:n]
	for j, pj := range p {
		d := g[j]
		mj := m[j]*k.B1 + k.C1*d
		vj := v[j]*k.B2 + k.C2*d*d
		m[j], v[j] = mj, vj
		denom := sqrt32(vj)/k.BC2Sqrt + k.Eps
		p[j] = pj + k.StepSize*mj/denom
	}
}
