// qtgen writes QDataStream test vectors with the Qt it is built against.
//
// Every case is written with every stream version Qt knows (1 up to
// QDataStream::Qt_DefaultCompiledVersion) in both byte orders. Output, one
// line per vector:  <version> <be|le> <case> <hex bytes>
// The Go tests in package datastream decode each line and re-encode it.
// Build and run with ./gen.sh (see there); keep the case list in step with
// vectors_test.go.

#include <QtCore/QByteArray>
#include <QtCore/QDataStream>
#include <QtCore/QHash>
#include <QtCore/QIODevice>
#include <QtCore/QList>
#include <QtCore/QMap>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QVariant>
#include <QtCore/QtGlobal>
#include <cstdio>
#include <functional>
#include <vector>

#if QT_VERSION >= QT_VERSION_CHECK(6, 0, 0)
#define NULL_VARIANT(T) QVariant(QMetaType::fromType<T>())
#else
#define NULL_VARIANT(T) QVariant(QVariant::Type(qMetaTypeId<T>()))
#endif

struct Case {
    const char *name;
    int minVersion;
    std::function<void(QDataStream &)> write;
};

static QString unicodeText()
{
    // "Aé€😀" plus an unpaired high surrogate at the end.
    QString s = QString::fromUtf8("A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
    s.append(QChar(0xd800));
    return s;
}

static std::vector<Case> cases()
{
    std::vector<Case> c;
    auto add = [&](const char *n, int minv, std::function<void(QDataStream &)> f) {
        c.push_back(Case{n, minv, f});
    };
    add("bool_true", 1, [](QDataStream &s) { s << true; });
    add("bool_false", 1, [](QDataStream &s) { s << false; });
    add("int8", 1, [](QDataStream &s) { s << qint8(-128); });
    add("uint8", 1, [](QDataStream &s) { s << quint8(255); });
    add("int16", 1, [](QDataStream &s) { s << qint16(-2); });
    add("uint16", 1, [](QDataStream &s) { s << quint16(0x1234); });
    add("int32", 1, [](QDataStream &s) { s << qint32(-3); });
    add("uint32", 1, [](QDataStream &s) { s << quint32(0xdeadbeef); });
    add("int64", 1, [](QDataStream &s) { s << qint64(-0x0102030405060708LL); });
    add("uint64", 1, [](QDataStream &s) { s << quint64(0x0102030405060708ULL); });
    add("float32", 1, [](QDataStream &s) { s << 1.5f; });
    add("float64", 1, [](QDataStream &s) { s << 3.141592653589793; });
    add("float32_single", 1, [](QDataStream &s) {
        s.setFloatingPointPrecision(QDataStream::SinglePrecision);
        s << -0.25f;
    });
    add("float64_single", 1, [](QDataStream &s) {
        s.setFloatingPointPrecision(QDataStream::SinglePrecision);
        s << 1e300 << 0.1;
    });
    add("qchar", 1, [](QDataStream &s) { s << QChar(0x20ac); });
    add("string_null", 1, [](QDataStream &s) { s << QString(); });
    add("string_empty", 1, [](QDataStream &s) { s << QString(QLatin1String("")); });
    add("string_ascii", 1, [](QDataStream &s) { s << QString::fromLatin1("fortune"); });
    add("string_latin1", 1, [](QDataStream &s) { s << QString::fromUtf8("caf\xc3\xa9"); });
    add("string_unicode", 1, [](QDataStream &s) { s << unicodeText(); });
    add("string_fortune", 1, [](QDataStream &s) {
        s << QString::fromLatin1("You've been leading a dog's life. Stay off the furniture.");
    });
    add("local_fortune", 1, [](QDataStream &s) {
        QString m = QString::fromLatin1("You might have mail.");
        s << quint32(m.size()) << m;
    });
    add("bytearray_null", 1, [](QDataStream &s) { s << QByteArray(); });
    add("bytearray_empty", 1, [](QDataStream &s) { s << QByteArray(""); });
    add("bytearray_data", 1, [](QDataStream &s) { s << QByteArray("\x00\x01\xff" "abc", 6); });
    add("cstring", 1, [](QDataStream &s) { s << "ab"; });
    add("stringlist", 1, [](QDataStream &s) {
        s << (QStringList() << QString::fromLatin1("a") << QString(QLatin1String("")) << QString()
                            << QString::fromUtf8("\xe2\x82\xac"));
    });
    add("stringlist_empty", 1, [](QDataStream &s) { s << QStringList(); });
    add("list_int32", 1, [](QDataStream &s) { s << (QList<qint32>() << 1 << -2 << 3); });
    add("list_bytearray", 1, [](QDataStream &s) {
        s << (QList<QByteArray>() << QByteArray() << QByteArray("x"));
    });
    add("list_list_int16", 1, [](QDataStream &s) {
        QList<QList<qint16>> l;
        l << (QList<qint16>() << 1 << 2) << QList<qint16>() << (QList<qint16>() << 3);
        s << l;
    });
    add("list_float64", 1, [](QDataStream &s) { s << (QList<double>() << 0.5 << -2.0); });
    add("map_string_int32", 1, [](QDataStream &s) {
        QMap<QString, qint32> m;
        m.insert(QString::fromLatin1("b"), 2);
        m.insert(QString::fromLatin1("a"), 1);
        m.insert(QString::fromLatin1("c"), 3);
        s << m;
    });
    add("map_utf16_order", 1, [](QDataStream &s) {
        QMap<QString, qint32> m;
        m.insert(QString::fromUtf8("\xef\xbc\xa1"), 1);      // U+FF21
        m.insert(QString::fromUtf8("\xf0\x9f\x98\x80"), 2);  // U+1F600
        m.insert(QString::fromLatin1("a"), 3);
        s << m;
    });
    add("map_int32_string", 1, [](QDataStream &s) {
        QMap<qint32, QString> m;
        m.insert(2, QString::fromLatin1("two"));
        m.insert(1, QString::fromLatin1("one"));
        s << m;
    });
    add("map_empty", 1, [](QDataStream &s) { s << QMap<qint32, qint32>(); });
    add("hash_int32_int32", 1, [](QDataStream &s) {
        QHash<qint32, qint32> h;
        h.insert(7, 49);
        s << h;
    });
    add("multimap_int32_int32", 1, [](QDataStream &s) {
        QMultiMap<qint32, qint32> m;
        m.insert(1, 10);
        m.insert(2, 20);
        m.insert(1, 11);
        s << m;
    });
    // QVariant: Qt 3 numbering (versions < 7) is not covered.
    add("variant_invalid", 7, [](QDataStream &s) { s << QVariant(); });
    add("variant_bool", 7, [](QDataStream &s) { s << QVariant(true); });
    add("variant_int", 7, [](QDataStream &s) { s << QVariant(5); });
    add("variant_int_null", 7, [](QDataStream &s) { s << NULL_VARIANT(int); });
    add("variant_uint", 7, [](QDataStream &s) { s << QVariant(4000000000u); });
    add("variant_longlong", 7, [](QDataStream &s) { s << QVariant(qlonglong(-5000000000LL)); });
    add("variant_ulonglong", 7, [](QDataStream &s) { s << QVariant(qulonglong(18000000000000000000ULL)); });
    add("variant_double", 7, [](QDataStream &s) { s << QVariant(2.5); });
    add("variant_float", 7, [](QDataStream &s) { s << QVariant(1.25f); });
    add("variant_qchar", 7, [](QDataStream &s) { s << QVariant(QChar(0x20ac)); });
    add("variant_string", 7, [](QDataStream &s) { s << QVariant(QString::fromLatin1("x")); });
    add("variant_string_null", 7, [](QDataStream &s) { s << QVariant(QString()); });
    add("variant_bytearray", 7, [](QDataStream &s) { s << QVariant(QByteArray("raw")); });
    add("variant_stringlist", 7, [](QDataStream &s) {
        s << QVariant(QStringList() << QString::fromLatin1("p") << QString::fromLatin1("q"));
    });
    add("variant_list", 7, [](QDataStream &s) {
        s << QVariant(QVariantList() << QVariant(1) << QVariant(QString::fromLatin1("x")) << QVariant(true));
    });
    add("variant_map", 7, [](QDataStream &s) {
        QVariantMap inner;
        inner.insert(QString::fromLatin1("n"), QVariant(qlonglong(1)));
        QVariantMap m;
        m.insert(QString::fromLatin1("b"), QVariant(2));
        m.insert(QString::fromLatin1("a"), QVariant(QString::fromLatin1("x")));
        m.insert(QString::fromLatin1("c"), QVariant(inner));
        s << QVariant(m);
    });
    add("variant_hash", 7, [](QDataStream &s) {
        QVariantHash h;
        h.insert(QString::fromLatin1("k"), QVariant(1.5));
        s << QVariant(h);
    });
    add("variant_long", 7, [](QDataStream &s) { s << QVariant::fromValue(long(-7)); });
    add("variant_ulong", 7, [](QDataStream &s) { s << QVariant::fromValue((unsigned long)(7)); });
    add("variant_short", 7, [](QDataStream &s) { s << QVariant::fromValue(short(-300)); });
    add("variant_ushort", 7, [](QDataStream &s) { s << QVariant::fromValue((unsigned short)(60000)); });
    add("variant_char", 7, [](QDataStream &s) { s << QVariant::fromValue(char('A')); });
    add("variant_schar", 7, [](QDataStream &s) { s << QVariant::fromValue((signed char)(-5)); });
    add("variant_uchar", 7, [](QDataStream &s) { s << QVariant::fromValue((unsigned char)(200)); });
    add("variant_bytearraylist", 7, [](QDataStream &s) {
        s << QVariant::fromValue(QByteArrayList() << QByteArray("a") << QByteArray());
    });
    add("variant_nullptr", 13, [](QDataStream &s) { s << QVariant::fromValue(nullptr); });
    return c;
}

int main()
{
    std::printf("# qtgen: QDataStream vectors written by Qt %s; regenerate with internal/qtgen/gen.sh\n",
                qVersion());
    const std::vector<Case> all = cases();
    for (int v = 1; v <= QDataStream::Qt_DefaultCompiledVersion; ++v) {
        for (int le = 0; le < 2; ++le) {
            for (const Case &c : all) {
                if (v < c.minVersion)
                    continue;
                QByteArray ba;
                QDataStream s(&ba, QIODevice::WriteOnly);
                s.setVersion(v);
                s.setByteOrder(le ? QDataStream::LittleEndian : QDataStream::BigEndian);
                c.write(s);
                if (s.status() != QDataStream::Ok) {
                    std::fprintf(stderr, "case %s version %d: status %d\n", c.name, v, int(s.status()));
                    return 1;
                }
                std::printf("%d %s %s %s\n", v, le ? "le" : "be", c.name, ba.toHex().constData());
            }
        }
    }
    return 0;
}
