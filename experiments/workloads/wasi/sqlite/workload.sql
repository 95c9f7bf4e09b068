-- A scripted SQLite workload: generated rows, indexes, joins, aggregates, window
-- functions, updates and deletes. The row count comes from the table `params(n)`, which
-- the command line creates before this script runs.
CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT, region INTEGER);
CREATE TABLE orders(id INTEGER PRIMARY KEY, customer INTEGER, amount INTEGER, day INTEGER);

INSERT INTO customers(id, name, region)
  WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < (SELECT n FROM params) / 10)
  SELECT i, 'customer-' || i, i % 7 FROM c;

INSERT INTO orders(id, customer, amount, day)
  WITH RECURSIVE o(i, x) AS (
    SELECT 1, 12345
    UNION ALL
    SELECT i + 1, (x * 1103515245 + 12345) % 2147483648 FROM o WHERE i < (SELECT n FROM params))
  SELECT i, 1 + x % ((SELECT n FROM params) / 10), x % 1000, x % 365 FROM o;

CREATE INDEX orders_customer ON orders(customer);
CREATE INDEX orders_day ON orders(day);

SELECT 'orders', count(*), sum(amount), min(amount), max(amount) FROM orders;

SELECT 'region', c.region, count(*), sum(o.amount)
  FROM orders o JOIN customers c ON c.id = o.customer
  GROUP BY c.region ORDER BY c.region;

SELECT 'top', name, total FROM (
  SELECT c.name, sum(o.amount) AS total
    FROM customers c JOIN orders o ON o.customer = c.id
    GROUP BY c.id ORDER BY total DESC, c.id LIMIT 5);

SELECT 'rank', day, amount, rnk FROM (
  SELECT day, amount, rank() OVER (PARTITION BY day ORDER BY amount DESC, id) AS rnk
    FROM orders WHERE day < 3)
  WHERE rnk <= 2 ORDER BY day, rnk;

UPDATE orders SET amount = amount * 2 WHERE day % 10 = 0;
DELETE FROM orders WHERE amount < 50;
SELECT 'after', count(*), sum(amount) FROM orders;

SELECT 'text', count(DISTINCT substr(name, 1, 11)), max(length(name)),
       group_concat(DISTINCT region) FROM customers WHERE name LIKE '%7%';
