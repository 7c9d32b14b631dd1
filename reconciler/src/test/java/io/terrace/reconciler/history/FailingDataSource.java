package io.terrace.reconciler.history;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** A real H2 data source that refuses connections while told to, as a full disk would. */
public final class FailingDataSource implements DataSource {

    private final DataSource real;
    private final AtomicBoolean failing = new AtomicBoolean();

    public FailingDataSource(DataSource real) {
        this.real = real;
    }

    /** An in-memory H2 database of that name, kept while the JVM runs. */
    public static FailingDataSource inMemory(String name) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        return new FailingDataSource(h2);
    }

    public void failing(boolean fail) {
        failing.set(fail);
    }

    /**
     * A connection of the real database whose statements fail while the switch is on: one taken
     * from a pool before the disk filled up fails at its next statement, not at once.
     */
    @Override
    public Connection getConnection() throws SQLException {
        if (failing.get()) {
            throw full();
        }
        Connection c = real.getConnection();
        return (Connection) java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (failing.get() && method.getName().matches("prepareStatement|createStatement|prepareCall|commit")) {
                        throw full();
                    }
                    try {
                        return method.invoke(c, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static SQLException full() {
        return new SQLException("No space left on device", "HY000", 90028);
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return real.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        real.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        real.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return real.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
