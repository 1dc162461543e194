package dev.bootcluster.sample.data;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * The items, newest first.
 */
interface ItemRepository extends JpaRepository<Item, Long> {

	List<Item> findAllByOrderByIdDesc();

}
