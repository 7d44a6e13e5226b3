module github.com/duboko/duboko

go 1.26
