insert into item (name, description, created_by, created_at) values
	('Kettle', 'Boils a litre in two minutes', 0, current_timestamp),
	('Teapot', 'Six cups, stoneware', 0, current_timestamp),
	('Mug', 'Holds what the teapot pours', 0, current_timestamp);
