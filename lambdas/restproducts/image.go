package main

import (
	"bytes"
	"hash/fnv"
	"image"
	"image/color"
	"image/png"
)

// placeholderPNG draws a 16x16 square in a colour derived from the product id, for products
// without an uploaded image: a real binary body, so the example exercises binary media types
// without shipping image files.
func placeholderPNG(id string) []byte {
	h := fnv.New32a()
	h.Write([]byte(id))
	sum := h.Sum32()
	c := color.RGBA{R: uint8(sum), G: uint8(sum >> 8), B: uint8(sum >> 16), A: 255}
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for y := 0; y < 16; y++ {
		for x := 0; x < 16; x++ {
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img) // encoding to memory cannot fail
	return buf.Bytes()
}

// pngSignature starts every PNG file.
var pngSignature = []byte("\x89PNG\r\n\x1a\n")

func isPNG(b []byte) bool { return bytes.HasPrefix(b, pngSignature) }
