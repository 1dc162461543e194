create table thing (id bigint primary key, name varchar(80));
