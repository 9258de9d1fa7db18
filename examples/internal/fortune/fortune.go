// Package fortune holds what Qt's fortune examples share: the seven fortunes,
// their QDataStream encoding, the command-line flags and the error messages
// of the examples' dialogs, so that the Go programs under examples/ say and
// send exactly what Qt's do.
package fortune

import (
	"bytes"
	"math/rand/v2"

	"github.com/qsock/qsock/datastream"
)

// Fortunes are the seven fortunes of Qt's fortuneserver and
// threadedfortuneserver, in the order of Qt's source.
var Fortunes = [...]string{
	"You've been leading a dog's life. Stay off the furniture.",
	"You've got to think about tomorrow.",
	"You will be surprised by a loud noise.",
	"You will feel hungry again in another hour.",
	"You might have mail.",
	"You cannot kill time without injuring eternity.",
	"Computers are not intelligent. They only think they are.",
}

// Random returns one of the fortunes, picked uniformly as Qt's
// QRandomGenerator::global()->bounded(size) does; the same one may come
// twice in a row, which is why the clients re-request.
func Random() string {
	return Fortunes[rand.IntN(len(Fortunes))]
}

// IsFortune reports whether s is one of the seven fortunes.
func IsFortune(s string) bool {
	for _, f := range Fortunes {
		if s == f {
			return true
		}
	}
	return false
}

// Block returns the bytes a Qt fortune server sends for text: a QString
// streamed with version v into a QByteArray (QDataStream out(&block,
// QIODevice::WriteOnly); out.setVersion(v); out << text).
func Block(v datastream.Version, text string) []byte {
	var block bytes.Buffer
	out := datastream.NewWriter(&block)
	out.SetVersion(v)
	out.WriteString(text)
	return block.Bytes()
}
