// qtfortuneclient: Qt's Fortune Client example without the dialog, for the
// interop tests. It reads fortunes exactly as Qt's fortuneclient does (a
// QTcpSocket, a QDataStream with version Qt_4_0 bound to it, and a read
// transaction on each readyRead), asks again when a fortune repeats, and
// prints each fortune on its own line.
//
//   qtfortuneclient HOST PORT [COUNT]
//
// Exit status 0 after COUNT (default 1) fortunes; 1 on a socket error, on a
// connection closed before a whole fortune, or after 10 s.
// No Q_OBJECT (lambdas only), so it builds with g++ alone: see build.sh.

#include <QCoreApplication>
#include <QDataStream>
#include <QTcpSocket>
#include <QTextStream>
#include <QTimer>
#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 3 || args.size() > 4) {
        std::fprintf(stderr, "usage: qtfortuneclient HOST PORT [COUNT]\n");
        return 2;
    }
    const QString host = args.at(1);
    const quint16 port = args.at(2).toUShort();
    int remaining = args.size() == 4 ? args.at(3).toInt() : 1;

    QTextStream out(stdout);
    QTextStream err(stderr);
    QTcpSocket tcpSocket;
    QDataStream in(&tcpSocket);
    in.setVersion(QDataStream::Qt_4_0);
    QString currentFortune;
    bool haveFortune = false;

    auto requestNewFortune = [&]() {
        tcpSocket.abort();
        haveFortune = false;
        tcpSocket.connectToHost(host, port);
    };
    auto fail = [&](const QString &message) {
        err << "Fortune Client: " << message << Qt::endl;
        app.exit(1);
    };

    QObject::connect(&tcpSocket, &QIODevice::readyRead, [&]() {
        in.startTransaction();
        QString nextFortune;
        in >> nextFortune;
        if (!in.commitTransaction())
            return;
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
    QObject::connect(&tcpSocket, &QAbstractSocket::errorOccurred,
                     [&](QAbstractSocket::SocketError e) {
        if (e == QAbstractSocket::RemoteHostClosedError)
            return;
        fail(QString("The following error occurred: %1.").arg(tcpSocket.errorString()));
    });
    QObject::connect(&tcpSocket, &QAbstractSocket::disconnected, [&]() {
        if (!haveFortune)
            fail("The server closed the connection before sending a whole fortune.");
    });
    QTimer::singleShot(10000, [&]() { fail("Timed out."); });

    requestNewFortune();
    return app.exec();
}
