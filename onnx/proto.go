package onnx

import (
	"encoding/binary"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// This file writes the few messages of onnx.proto that an exported model
// needs, field by field, with protowire. Field numbers follow onnx.proto
// (proto2); repeated scalars are written unpacked, as proto2 declares them
// (parsers accept either form).

// ONNX TensorProto.DataType values used here.
const (
	dataFloat = 1
	dataInt32 = 6
	dataInt64 = 7
)

// ONNX AttributeProto.AttributeType values used here.
const (
	attrFloat   = 1
	attrInt     = 2
	attrString  = 3
	attrInts    = 7
	attrStrings = 8
)

// modelProto is onnx.ModelProto.
type modelProto struct {
	irVersion       int64
	opset           int64 // version of the default ("ai.onnx") domain
	producerName    string
	producerVersion string
	docString       string
	graph           graphProto
}

// graphProto is onnx.GraphProto.
type graphProto struct {
	name        string
	nodes       []nodeProto
	initializer []tensorProto
	inputs      []valueInfo
	outputs     []valueInfo
}

// nodeProto is onnx.NodeProto.
type nodeProto struct {
	name    string
	opType  string
	inputs  []string
	outputs []string
	attrs   []attribute
}

// attribute is onnx.AttributeProto of type FLOAT, INT, STRING, INTS or STRINGS.
type attribute struct {
	name string
	typ  int32
	f    float32
	i    int64
	s    string
	ints []int64
	strs []string
}

// tensorProto is onnx.TensorProto with its data in raw_data (little-endian).
type tensorProto struct {
	name     string
	dataType int32
	dims     []int64
	raw      []byte
}

// dim is one dimension of a value's shape: a size, or a symbolic name.
type dim struct {
	value int64
	param string // when set, the dimension is dim_param
}

// valueInfo is onnx.ValueInfoProto for a tensor of elemType with a shape.
type valueInfo struct {
	name     string
	elemType int32
	shape    []dim
}

// Field numbers of onnx.proto.
const (
	modelIRVersion       = 1
	modelProducerName    = 2
	modelProducerVersion = 3
	modelDocString       = 6
	modelGraph           = 7
	modelOpsetImport     = 8

	opsetDomain  = 1
	opsetVersion = 2

	graphNode        = 1
	graphName        = 2
	graphInitializer = 5
	graphInput       = 11
	graphOutput      = 12

	nodeInput     = 1
	nodeOutput    = 2
	nodeName      = 3
	nodeOpType    = 4
	nodeAttribute = 5

	attrName     = 1
	attrF        = 2
	attrI        = 3
	attrS        = 4
	attrIntsF    = 8
	attrStringsF = 9
	attrType     = 20

	tensorDims     = 1
	tensorDataType = 2
	tensorName     = 8
	tensorRawData  = 9

	valueInfoName = 1
	valueInfoType = 2

	typeTensorType = 1 // TypeProto.tensor_type
	ttElemType     = 1 // TypeProto.Tensor.elem_type
	ttShape        = 2 // TypeProto.Tensor.shape
	shapeDim       = 1 // TensorShapeProto.dim
	dimValue       = 1 // TensorShapeProto.Dimension.dim_value
	dimParam       = 2 // TensorShapeProto.Dimension.dim_param
)

func appendString(b []byte, num protowire.Number, s string) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendString(b, s)
}

func appendBytes(b []byte, num protowire.Number, v []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, v)
}

func appendInt(b []byte, num protowire.Number, v int64) []byte {
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, uint64(v))
}

func (m *modelProto) marshal() []byte {
	var b []byte
	b = appendInt(b, modelIRVersion, m.irVersion)
	b = appendString(b, modelProducerName, m.producerName)
	if m.producerVersion != "" {
		b = appendString(b, modelProducerVersion, m.producerVersion)
	}
	if m.docString != "" {
		b = appendString(b, modelDocString, m.docString)
	}
	b = appendBytes(b, modelGraph, m.graph.marshal())
	var op []byte
	op = appendString(op, opsetDomain, "")
	op = appendInt(op, opsetVersion, m.opset)
	return appendBytes(b, modelOpsetImport, op)
}

func (g *graphProto) marshal() []byte {
	var b []byte
	for i := range g.nodes {
		b = appendBytes(b, graphNode, g.nodes[i].marshal())
	}
	b = appendString(b, graphName, g.name)
	for i := range g.initializer {
		b = appendBytes(b, graphInitializer, g.initializer[i].marshal())
	}
	for i := range g.inputs {
		b = appendBytes(b, graphInput, g.inputs[i].marshal())
	}
	for i := range g.outputs {
		b = appendBytes(b, graphOutput, g.outputs[i].marshal())
	}
	return b
}

func (n *nodeProto) marshal() []byte {
	var b []byte
	for _, s := range n.inputs {
		b = appendString(b, nodeInput, s)
	}
	for _, s := range n.outputs {
		b = appendString(b, nodeOutput, s)
	}
	b = appendString(b, nodeName, n.name)
	b = appendString(b, nodeOpType, n.opType)
	for i := range n.attrs {
		b = appendBytes(b, nodeAttribute, n.attrs[i].marshal())
	}
	return b
}

func (a *attribute) marshal() []byte {
	var b []byte
	b = appendString(b, attrName, a.name)
	switch a.typ {
	case attrFloat:
		b = protowire.AppendTag(b, attrF, protowire.Fixed32Type)
		b = protowire.AppendFixed32(b, math.Float32bits(a.f))
	case attrInt:
		b = appendInt(b, attrI, a.i)
	case attrString:
		b = appendString(b, attrS, a.s)
	case attrInts:
		for _, v := range a.ints {
			b = appendInt(b, attrIntsF, v)
		}
	case attrStrings:
		for _, v := range a.strs {
			b = appendString(b, attrStringsF, v)
		}
	}
	return appendInt(b, attrType, int64(a.typ))
}

func (t *tensorProto) marshal() []byte {
	var b []byte
	for _, d := range t.dims {
		b = appendInt(b, tensorDims, d)
	}
	b = appendInt(b, tensorDataType, int64(t.dataType))
	b = appendString(b, tensorName, t.name)
	return appendBytes(b, tensorRawData, t.raw)
}

func (v *valueInfo) marshal() []byte {
	var shape []byte
	for _, d := range v.shape {
		var db []byte
		if d.param != "" {
			db = appendString(db, dimParam, d.param)
		} else {
			db = appendInt(db, dimValue, d.value)
		}
		shape = appendBytes(shape, shapeDim, db)
	}
	var tt []byte
	tt = appendInt(tt, ttElemType, int64(v.elemType))
	tt = appendBytes(tt, ttShape, shape)
	var typ []byte
	typ = appendBytes(typ, typeTensorType, tt)
	var b []byte
	b = appendString(b, valueInfoName, v.name)
	return appendBytes(b, valueInfoType, typ)
}

// floatTensor returns a FLOAT initializer.
func floatTensor(name string, dims []int, vals []float32) tensorProto {
	raw := make([]byte, 4*len(vals))
	for i, v := range vals {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
	}
	return tensorProto{name: name, dataType: dataFloat, dims: int64s(dims), raw: raw}
}

// int64Tensor returns a one-dimensional INT64 initializer.
func int64Tensor(name string, vals []int64) tensorProto {
	raw := make([]byte, 8*len(vals))
	for i, v := range vals {
		binary.LittleEndian.PutUint64(raw[8*i:], uint64(v))
	}
	return tensorProto{name: name, dataType: dataInt64, dims: []int64{int64(len(vals))}, raw: raw}
}

func int64s(xs []int) []int64 {
	out := make([]int64, len(xs))
	for i, x := range xs {
		out[i] = int64(x)
	}
	return out
}
