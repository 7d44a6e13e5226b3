package plot_test

import (
	"fmt"
	"image/color"
	"log"

	"github.com/duboko/duboko/plot"
)

// The 16 first-layer filters of a convolution on RGB images ([16, 3, 5, 5],
// PyTorch's layout) as colour pictures: here filter f weighs red by f,
// green by 15 − f and blue by 0, so the grid fades from green to red.
func ExampleConvFiltersRGB() {
	const out, in, k = 16, 3, 5
	w := make([]float32, out*in*k*k)
	for f := 0; f < out; f++ {
		for i := 0; i < k*k; i++ {
			w[(f*in+0)*k*k+i] = float32(f)      // red
			w[(f*in+1)*k*k+i] = float32(15 - f) // green
		}
	}
	g, err := plot.ConvFiltersRGB("conv1.weight", w, out, in, k, k)
	if err != nil {
		log.Fatal(err)
	}
	img, err := g.Render() // or plot.SavePNG("filters.png", g)
	if err != nil {
		log.Fatal(err)
	}
	count := map[color.RGBA]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			count[img.RGBAAt(x, y)]++
		}
	}
	fmt.Printf("%d filters, %d per row, each %d×%d pixels\n", len(g.Cells), g.Cols, k*g.Scale, k*g.Scale)
	fmt.Println("pure green pixels:", count[color.RGBA{0, 255, 0, 255}], "pure red:", count[color.RGBA{255, 0, 0, 255}])
	// Output:
	// 16 filters, 4 per row, each 45×45 pixels
	// pure green pixels: 2025 pure red: 2025
}
