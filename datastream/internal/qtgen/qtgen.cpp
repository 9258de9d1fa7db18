// qtgen writes QDataStream test vectors with the Qt it is built against.
//
// Every case is written with every stream version Qt knows (1 up to
// QDataStream::Qt_DefaultCompiledVersion) in both byte orders. Output, one
// line per vector:  <version> <be|le> <case> <hex bytes>
// The Go tests in package datastream decode each line and re-encode it.
//
// Cases named read_* are read probes: they feed Qt's reader crafted input
// and record what it did. Their hex is a report stream (always Qt_5_15,
// big-endian): the input as a QByteArray, then for each step the status,
// the device position and the values read. probes_test.go replays them.
//
// Build and run with ./gen.sh (see there; it sets TZ=UTC); keep the case
// lists in step with vectors_test.go and probes_test.go.

#include <QtCore/QBuffer>
#include <QtCore/QByteArray>
#include <QtCore/QDataStream>
#include <QtCore/QDateTime>
#include <QtCore/QHash>
#include <QtCore/QIODevice>
#include <QtCore/QList>
#include <QtCore/QMap>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QTimeZone>
#include <QtCore/QUrl>
#include <QtCore/QUuid>
#include <QtCore/QVariant>
#include <QtCore/QtGlobal>
#include <QtNetwork/QHostAddress>
#include <cstdio>
#include <functional>
#include <vector>

#if QT_VERSION >= QT_VERSION_CHECK(6, 0, 0)
#define NULL_VARIANT(T) QVariant(QMetaType::fromType<T>())
#else
#define NULL_VARIANT(T) QVariant(QVariant::Type(qMetaTypeId<T>()))
// Qt 6 registers QHostAddress's stream operators with its metatype; Qt 5
// needs qRegisterMetaTypeStreamOperators (see main).
Q_DECLARE_METATYPE(QHostAddress)
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
    // QDate, QTime, QDateTime (TZ=UTC, see gen.sh), QUrl, QUuid, QHostAddress.
    add("date", 1, [](QDataStream &s) { s << QDate(2024, 3, 5); });
    add("date_null", 1, [](QDataStream &s) { s << QDate(); });
    add("date_bce", 1, [](QDataStream &s) { s << QDate(-44, 3, 15); });
    add("date_first", 1, [](QDataStream &s) { s << QDate(1, 1, 1); });
    add("time", 1, [](QDataStream &s) { s << QTime(13, 14, 15, 678); });
    add("time_null", 1, [](QDataStream &s) { s << QTime(); });
    add("time_midnight", 1, [](QDataStream &s) { s << QTime(0, 0); });
    add("datetime_local", 1, [](QDataStream &s) { s << QDateTime(QDate(2024, 3, 5), QTime(13, 14, 15, 678)); });
    add("datetime_utc", 1, [](QDataStream &s) {
        s << QDateTime(QDate(2024, 3, 5), QTime(13, 14, 15, 678), Qt::UTC);
    });
    add("datetime_offset", 1, [](QDataStream &s) {
        s << QDateTime(QDate(2024, 3, 5), QTime(1, 2, 3, 4), Qt::OffsetFromUTC, 3600);
    });
    add("datetime_offset_negative", 1, [](QDataStream &s) {
        s << QDateTime(QDate(2024, 12, 31), QTime(22, 0), Qt::OffsetFromUTC, -16200);
    });
    add("datetime_offset_zero", 1, [](QDataStream &s) {
        s << QDateTime(QDate(2024, 3, 5), QTime(13, 14, 15, 678), Qt::OffsetFromUTC, 0);
    });
    add("datetime_zone", 1, [](QDataStream &s) {
        s << QDateTime(QDate(2024, 7, 1), QTime(0, 30), QTimeZone("Europe/Berlin"));
    });
    add("datetime_zone_offset", 1, [](QDataStream &s) {
        s << QDateTime(QDate(2024, 3, 5), QTime(13, 14, 15, 678), QTimeZone(5400));
    });
    add("datetime_null", 1, [](QDataStream &s) { s << QDateTime(); });
    add("url", 1, [](QDataStream &s) {
        s << QUrl(QString::fromLatin1("https://user@example.com:8080/p a/th?q=1#frag"));
    });
    add("url_unicode", 1, [](QDataStream &s) { s << QUrl(QString::fromUtf8("http://b\xc3\xbc" "cher.example/\xc3\xa4?x=\xe2\x82\xac")); });
    add("url_relative", 1, [](QDataStream &s) { s << QUrl(QString::fromLatin1("../a%2Fb")); });
    add("url_null", 1, [](QDataStream &s) { s << QUrl(); });
    add("url_invalid", 1, [](QDataStream &s) { s << QUrl(QString::fromLatin1("http://[::1")); });
    add("uuid", 1, [](QDataStream &s) { s << QUuid(QString::fromLatin1("{67c8770b-44f1-410a-ab9a-f9b5446f13ee}")); });
    add("uuid_null", 1, [](QDataStream &s) { s << QUuid(); });
    add("hostaddress_ipv4", 1, [](QDataStream &s) { s << QHostAddress(QString::fromLatin1("192.168.1.2")); });
    add("hostaddress_ipv6", 1, [](QDataStream &s) { s << QHostAddress(QString::fromLatin1("2001:db8::1")); });
    add("hostaddress_ipv6_scope", 1, [](QDataStream &s) { s << QHostAddress(QString::fromLatin1("fe80::1%eth0")); });
    add("hostaddress_v4mapped", 1, [](QDataStream &s) { s << QHostAddress(QString::fromLatin1("::ffff:1.2.3.4")); });
    add("hostaddress_null", 1, [](QDataStream &s) { s << QHostAddress(); });
    add("hostaddress_any", 1, [](QDataStream &s) { s << QHostAddress(QHostAddress::Any); });
    add("hostaddress_anyipv4", 1, [](QDataStream &s) { s << QHostAddress(QHostAddress::AnyIPv4); });
    add("variant_date", 7, [](QDataStream &s) { s << QVariant(QDate(2024, 3, 5)); });
    add("variant_time", 7, [](QDataStream &s) { s << QVariant(QTime(13, 14, 15, 678)); });
    add("variant_datetime", 7, [](QDataStream &s) {
        s << QVariant(QDateTime(QDate(2024, 3, 5), QTime(13, 14, 15, 678), Qt::UTC));
    });
    add("variant_datetime_null", 7, [](QDataStream &s) { s << QVariant(QDateTime()); });
    add("variant_url", 7, [](QDataStream &s) { s << QVariant(QUrl(QString::fromLatin1("qt:x"))); });
    add("variant_uuid", 7, [](QDataStream &s) {
        s << QVariant(QUuid(QString::fromLatin1("{67c8770b-44f1-410a-ab9a-f9b5446f13ee}")));
    });
    add("variant_hostaddress", 7, [](QDataStream &s) {
        s << QVariant::fromValue(QHostAddress(QString::fromLatin1("1.2.3.4")));
    });
    return c;
}

// A read probe writes its input with the stream's settings (input), then
// reads it back step by step (run), reporting to rep after each step.
struct Probe {
    const char *name;
    int minVersion;
    int maxVersion;
    std::function<void(QDataStream &)> input;
    std::function<void(QDataStream &in, QBuffer &dev, QDataStream &rep)> run;
};

// step reports the stream status and the device position.
static void step(QDataStream &in, QBuffer &dev, QDataStream &rep)
{
    rep << qint32(in.status()) << qint64(dev.pos());
}

static void raw(QDataStream &s, const char *hex)
{
    const QByteArray b = QByteArray::fromHex(hex);
    s.writeRawData(b.constData(), int(b.size()));
}

// Type ids read_variant_ids feeds to QVariant::load, each followed by the
// isNull byte and 16 zero bytes.
static const quint32 variantIds[] = {
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
    25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47,
    48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 70, 75, 76, 86, 87,
    88, 100, 120, 121, 122, 126, 127, 128, 129, 135, 136, 137, 138, 139, 140, 145, 146, 147, 148,
    150, 160, 200, 1023, 1024, 1025, 4096, 4097, 4118, 4119, 8192, 65535, 65536,
    0x7fffffff, 0xffffffff, // (ids above 65536 depend on what the process registered)
};

static bool specProbed(int version, int spec)
{
    if (version < 7)
        return spec == 0;
    if (version < 13 || version == 14)
        return true;
    if (version == 13)
        return spec >= 0 && spec <= 2;
    return spec >= 0 && spec <= 3;
}

static std::vector<Probe> probes()
{
    std::vector<Probe> p;
    auto add = [&](const char *n, int minv, int maxv, std::function<void(QDataStream &)> input,
                   std::function<void(QDataStream &, QBuffer &, QDataStream &)> run) {
        p.push_back(Probe{n, minv, maxv, input, run});
    };
    // An odd QString byte length is corrupt data; reading goes on after it.
    add("read_after_corrupt", 2, 99,
        [](QDataStream &s) { s << quint32(3); raw(s, "61626364"); },
        [](QDataStream &in, QBuffer &dev, QDataStream &rep) {
            QString str;
            in >> str;
            step(in, dev, rep);
            rep << str.isNull();
            for (int i = 0; i < 5; ++i) {
                quint8 c = 0xee;
                in >> c;
                step(in, dev, rep);
                rep << c;
            }
        });
    // A read that finds too few bytes consumes those there are.
    add("read_after_past_end", 1, 99,
        [](QDataStream &s) { raw(s, "0102"); },
        [](QDataStream &in, QBuffer &dev, QDataStream &rep) {
            qint32 i = 7;
            in >> i;
            step(in, dev, rep);
            rep << i;
            quint8 c = 7;
            in >> c;
            step(in, dev, rep);
            rep << c;
        });
    // A failed length prefix leaves an empty, not null, QString / QByteArray.
    add("read_failed_length", 2, 99,
        [](QDataStream &s) { raw(s, "00"); },
        [](QDataStream &in, QBuffer &dev, QDataStream &rep) {
            QString str = QString::fromLatin1("x");
            in >> str;
            step(in, dev, rep);
            rep << str.isNull() << str.isEmpty();
            QByteArray ba("x");
            in >> ba;
            step(in, dev, rep);
            rep << ba.isNull() << ba.isEmpty();
        });
    // Containers read after an error reset the status for their own reads
    // and restore it afterwards (QtPrivate::StreamStateSaver).
    add("read_containers_after_error", 2, 99,
        [](QDataStream &s) {
            s << (QList<qint32>() << 1 << 2) << (QStringList() << QString::fromLatin1("x"));
            QMap<qint32, qint32> m;
            m.insert(3, 4);
            s << m << quint8(9);
        },
        [](QDataStream &in, QBuffer &dev, QDataStream &rep) {
            in.setStatus(QDataStream::ReadCorruptData);
            QList<qint32> l;
            in >> l;
            step(in, dev, rep);
            rep << l;
            QStringList sl;
            in >> sl;
            step(in, dev, rep);
            rep << sl;
            QMap<qint32, qint32> m;
            in >> m;
            step(in, dev, rep);
            rep << quint32(m.size()) << m.value(3);
            quint8 c = 0;
            in >> c;
            step(in, dev, rep);
            rep << c;
            qint16 h = 5;
            in >> h;
            step(in, dev, rep);
            rep << h;
        });
    // A container whose element fails is emptied; the status is the element's.
    add("read_container_element_fails", 1, 99,
        [](QDataStream &s) { s << quint32(3) << qint32(1) << qint32(2); raw(s, "00"); },
        [](QDataStream &in, QBuffer &dev, QDataStream &rep) {
            QList<qint32> l;
            in >> l;
            step(in, dev, rep);
            rep << l;
        });
    // Inside a transaction, reads stop at the first failure.
    add("read_transaction_after_error", 2, 99,
        [](QDataStream &s) { s << quint32(3); raw(s, "61626364"); },
        [](QDataStream &in, QBuffer &dev, QDataStream &rep) {
            in.startTransaction();
            QString str;
            in >> str;
            step(in, dev, rep);
            quint8 c = 7;
            in >> c;
            step(in, dev, rep);
            rep << c;
            QList<qint32> l;
            in >> l;
            step(in, dev, rep);
            rep << l;
            char buf[2] = {'y', 'y'};
            rep << qint32(in.readRawData(buf, 2));
            step(in, dev, rep);
            rep << qint32(in.skipRawData(1));
            step(in, dev, rep);
            rep << in.commitTransaction();
            step(in, dev, rep);
            in >> c;
            step(in, dev, rep);
            rep << c;
        });
    // Raw reads after an error outside a transaction go on.
    add("read_raw_after_error", 1, 99,
        [](QDataStream &s) { raw(s, "616263"); },
        [](QDataStream &in, QBuffer &dev, QDataStream &rep) {
            in.setStatus(QDataStream::ReadCorruptData);
            char buf[2] = {0, 0};
            rep << qint32(in.readRawData(buf, 2));
            step(in, dev, rep);
            rep << QByteArray(buf, 2);
            rep << qint32(in.skipRawData(5));
            step(in, dev, rep);
        });
    // Length prefixes far beyond the data.
    add("read_huge_lengths", 2, 99,
        [](QDataStream &s) { raw(s, "7fffffff0102"); },
        [](QDataStream &in, QBuffer &dev, QDataStream &rep) {
            QByteArray ba("x");
            in >> ba;
            step(in, dev, rep);
            rep << ba.isNull();
            in.resetStatus();
            dev.seek(0);
            QString str = QString::fromLatin1("x");
            in >> str; // odd length: corrupt, nothing more read
            step(in, dev, rep);
            rep << str.isNull();
            in.resetStatus();
            dev.seek(0);
            char *p = nullptr;
            uint len = 7;
            in.readBytes(p, len);
            step(in, dev, rep);
            rep << len;
            delete[] p;
        });
    add("read_huge_string", 2, 99,
        [](QDataStream &s) { raw(s, "fffffffe0102"); },
        [](QDataStream &in, QBuffer &dev, QDataStream &rep) {
            QString str = QString::fromLatin1("x");
            in >> str;
            step(in, dev, rep);
            rep << str.isNull();
            in.resetStatus();
            dev.seek(0);
            QByteArray ba("x");
            in >> ba;
            step(in, dev, rep);
            rep << ba.isNull();
            in.resetStatus();
            dev.seek(0);
            char *p = nullptr;
            uint len = 7;
            in.readBytes(p, len);
            step(in, dev, rep);
            rep << len;
            delete[] p;
        });
    // QVariant::load of every interesting type id: status, position, isValid.
    add("read_variant_ids", 7, 99,
        [](QDataStream &s) {
            for (quint32 id : variantIds) {
                s << id << qint8(0);
                raw(s, "00000000000000000000000000000000");
            }
        },
        [](QDataStream &in, QBuffer &dev, QDataStream &rep) {
            const qint64 each = 4 + 1 + 16;
            qint64 start = 0;
            for (quint32 id : variantIds) {
                in.resetStatus();
                dev.seek(start);
                QVariant v;
                in >> v;
                rep << id << qint32(in.status()) << qint64(dev.pos() - start) << v.isValid();
                start += each;
            }
        });
    // QDateTime's time spec byte as Qt reads it: every value of Qt 4's
    // QDateTimePrivate::Spec; Qt::TimeSpec values from Qt_5_0 on (Qt 5
    // crashes on others, and at Qt_5_0 on Qt::TimeZone).
    add("read_datetime_specs", 1, 99,
        [](QDataStream &s) {
            for (int spec = -2; spec <= 5; ++spec) {
                if (!specProbed(s.version(), spec))
                    continue;
                s << QDate(2024, 3, 5) << QTime(13, 14, 15, 678);
                if (s.version() >= 7)
                    s << qint8(spec);
                if (s.version() >= 15 && spec == 2)
                    s << qint32(-3600);
                if (s.version() >= 15 && spec == 3)
                    s << QString::fromLatin1("Europe/Berlin");
            }
        },
        [](QDataStream &in, QBuffer &dev, QDataStream &rep) {
            for (int spec = -2; spec <= 5; ++spec) {
                if (!specProbed(in.version(), spec))
                    continue;
                QDateTime dt;
                in >> dt;
                step(in, dev, rep);
                rep << dt;
            }
        });
    // A zone in QTimeZone's offset form whose id is not one Qt knows: Qt
    // builds a custom zone from the streamed fields.
    add("read_datetime_custom_zone", 15, 99,
        [](QDataStream &s) {
            s << QDate(2024, 3, 5) << QTime(13, 14, 15, 678) << qint8(3)
              << QString::fromLatin1("OffsetFromUtc") << QString::fromLatin1("Custom/Zone")
              << qint32(-7200) << QString::fromLatin1("Custom Time") << QString::fromLatin1("CT")
              << qint32(82) << QString::fromLatin1("a comment");
        },
        [](QDataStream &in, QBuffer &dev, QDataStream &rep) {
            QDateTime dt;
            in >> dt;
            step(in, dev, rep);
            rep << dt << dt.offsetFromUtc();
        });
    // QHostAddress protocol values.
    add("read_hostaddress_protocols", 1, 99,
        [](QDataStream &s) { s << qint8(2) << qint8(-1) << qint8(3) << quint32(0x01020304); },
        [](QDataStream &in, QBuffer &dev, QDataStream &rep) {
            for (int i = 0; i < 3; ++i) {
                QHostAddress a(QString::fromLatin1("9.9.9.9"));
                in >> a;
                step(in, dev, rep);
                rep << qint32(a.protocol()) << a.toString();
            }
        });
    // A QUuid needs 16 bytes.
    add("read_uuid_short", 1, 99,
        [](QDataStream &s) { raw(s, "0102030405060708090a"); },
        [](QDataStream &in, QBuffer &dev, QDataStream &rep) {
            QUuid u(QString::fromLatin1("{67c8770b-44f1-410a-ab9a-f9b5446f13ee}"));
            in >> u;
            step(in, dev, rep);
            rep << u.toRfc4122();
        });
    return p;
}

// Qt's warnings about the unknown types read_variant_ids feeds it are
// expected; keep them out of the output.
static void quiet(QtMsgType, const QMessageLogContext &, const QString &) {}

int main()
{
    qInstallMessageHandler(quiet);
#if QT_VERSION < QT_VERSION_CHECK(6, 0, 0)
    qRegisterMetaTypeStreamOperators<QHostAddress>("QHostAddress");
#endif
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
            for (const Probe &p : probes()) {
                if (v < p.minVersion || v > p.maxVersion)
                    continue;
                const QDataStream::ByteOrder order = le ? QDataStream::LittleEndian : QDataStream::BigEndian;
                QByteArray input;
                {
                    QDataStream s(&input, QIODevice::WriteOnly);
                    s.setVersion(v);
                    s.setByteOrder(order);
                    p.input(s);
                }
                QByteArray report;
                QDataStream rep(&report, QIODevice::WriteOnly);
                rep.setVersion(QDataStream::Qt_5_15);
                rep << input;
                QBuffer dev(&input);
                dev.open(QIODevice::ReadOnly);
                QDataStream in(&dev);
                in.setVersion(v);
                in.setByteOrder(order);
                p.run(in, dev, rep);
                std::printf("%d %s %s %s\n", v, le ? "le" : "be", p.name, report.toHex().constData());
            }
        }
    }
    return 0;
}
