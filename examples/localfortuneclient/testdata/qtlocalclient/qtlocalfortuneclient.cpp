// qtlocalfortuneclient: Qt's Local Fortune Client example without the
// dialog, for the interop tests. It reads fortunes exactly as Qt's
// localfortuneclient does (a QLocalSocket, a QDataStream with version
// Qt_5_10 bound to it, the quint32 character count and then the QString),
// asks again when a fortune repeats, and prints each fortune on its own
// line.
//
//   qtlocalfortuneclient NAME [COUNT]
//
// Exit status 0 after COUNT (default 1) fortunes; 1 on a socket error, on a
// connection closed before a whole fortune, or after 10 s.
// No Q_OBJECT (lambdas only), so it builds with g++ alone: see build.sh.

#include <QCoreApplication>
#include <QDataStream>
#include <QLocalSocket>
#include <QTextStream>
#include <QTimer>
#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2 || args.size() > 3) {
        std::fprintf(stderr, "usage: qtlocalfortuneclient NAME [COUNT]\n");
        return 2;
    }
    const QString name = args.at(1);
    int remaining = args.size() == 3 ? args.at(2).toInt() : 1;

    QTextStream out(stdout);
    QTextStream err(stderr);
    QLocalSocket socket;
    QDataStream in(&socket);
    in.setVersion(QDataStream::Qt_5_10);
    quint32 blockSize = 0;
    QString currentFortune;
    bool haveFortune = false;

    auto requestNewFortune = [&]() {
        blockSize = 0;
        socket.abort();
        haveFortune = false;
        socket.connectToServer(name);
    };
    auto fail = [&](const QString &message) {
        err << "Local Fortune Client: " << message << Qt::endl;
        app.exit(1);
    };

    QObject::connect(&socket, &QLocalSocket::readyRead, [&]() {
        if (blockSize == 0) {
            if (socket.bytesAvailable() < (int)sizeof(quint32))
                return;
            in >> blockSize;
        }
        if (socket.bytesAvailable() < blockSize || in.atEnd())
            return;
        QString nextFortune;
        in >> nextFortune;
        haveFortune = true;
        if (nextFortune == currentFortune) {
            QTimer::singleShot(0, requestNewFortune);
            return;
        }
        currentFortune = nextFortune;
        out << currentFortune << Qt::endl;
        if (--remaining <= 0)
            app.exit(0);
        else
            QTimer::singleShot(0, requestNewFortune);
    });
    QObject::connect(&socket, &QLocalSocket::errorOccurred,
                     [&](QLocalSocket::LocalSocketError e) {
        if (e == QLocalSocket::PeerClosedError)
            return;
        fail(QString("The following error occurred: %1.").arg(socket.errorString()));
    });
    QObject::connect(&socket, &QLocalSocket::disconnected, [&]() {
        if (!haveFortune)
            fail("The server closed the connection before sending a whole fortune.");
    });
    QTimer::singleShot(10000, [&]() { fail("Timed out."); });

    requestNewFortune();
    return app.exec();
}
